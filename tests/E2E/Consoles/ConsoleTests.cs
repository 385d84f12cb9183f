using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.E2E.Tests.Ui;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Consoles;

/// <summary>
/// The VNC and serial consoles in the real Chromium, through the real panel and agent processes, on the
/// booted test guest: keys typed on the VNC console reach the guest's shell, whose output the serial console
/// (another page) and the serial log show.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class ConsoleTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task VncKeys_ReachTheGuest_SerialConsoleShowsTheOutput_CtrlAltDel_ViewOnly_Reconnect()
    {
        var wait = new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)Boot.TotalMilliseconds };
        var text = new LocatorAssertionsToContainTextOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await Cluster.CreateAndStartGuestVmAsync(HostId, "console-vm");
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var vnc = await Chromium.SignInAsAdminAsync(context, Cluster.PanelUrl);

        // The serial console first, in its own page: its scrollback comes from the serial log, then live.
        var serial = await context.NewPageAsync();
        await serial.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/serial");
        await Assertions.Expect(serial.GetByTestId("serial-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        var serialScreen = serial.GetByTestId("serial-screen");
        await Assertions.Expect(serialScreen).ToContainTextAsync(TestGuest.ReadyLine, text);

        await vnc.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/console");
        var status = vnc.GetByTestId("console-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "connected", wait);
        var screen = vnc.GetByTestId("vnc-screen").Locator("canvas");
        await screen.ClickAsync();

        var marker = $"webvirt-{Guid.NewGuid().ToString("N")[..10]}";
        await GuestKeyboard.TypeLineAsync(vnc.Keyboard, $"echo {marker} > /dev/ttyS0");
        await Assertions.Expect(serialScreen).ToContainTextAsync(marker, text);
        await TestCluster.WaitUntilAsync(
            () => Task.FromResult(File.ReadAllText(Path.Combine(Cluster.AgentVmDataDirectory, vmId.ToString(), "serial.log")).Contains(marker, StringComparison.Ordinal)),
            Boot, () => "the serial log does not show the marker line");
        await vnc.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-vnc") });
        await serial.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-serial") });

        // Typing in the serial console (xterm sends text frames) reaches the guest's ttyS0 shell.
        await serialScreen.ClickAsync();
        await serial.Keyboard.TypeAsync("echo serial-$((6 * 7))\n");
        await Assertions.Expect(serialScreen).ToContainTextAsync("serial-42", text);

        // View only: keys typed now never reach the guest; after switching back they do.
        await vnc.GetByTestId("console-view-only").ClickAsync();
        await screen.ClickAsync();
        var blocked = $"blocked-{Guid.NewGuid().ToString("N")[..8]}";
        await GuestKeyboard.TypeLineAsync(vnc.Keyboard, $"echo {blocked} > /dev/ttyS0");
        await vnc.GetByTestId("console-view-only").ClickAsync();
        await screen.ClickAsync();
        var after = $"after-{Guid.NewGuid().ToString("N")[..8]}";
        await GuestKeyboard.TypeLineAsync(vnc.Keyboard, $"echo {after} > /dev/ttyS0");
        await Assertions.Expect(serialScreen).ToContainTextAsync(after, text);
        Assert.DoesNotContain(blocked, await serialScreen.InnerTextAsync(), StringComparison.Ordinal);

        // Ctrl-Alt-Del from the toolbar: the guest's init reports it on serial (and reboots).
        await vnc.GetByTestId("console-ctrl-alt-del").ClickAsync();
        await Assertions.Expect(serialScreen).ToContainTextAsync(TestGuest.CtrlAltDelLine, text);

        // Who is connected, and an administrator cuts the VNC session off: the console reconnects by itself.
        var vncViewer = serial.GetByTestId("console-viewer").Filter(new() { HasText = "VNC" });
        await Assertions.Expect(vncViewer).ToHaveCountAsync(1);
        await serial.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-viewers") });
        var connections = int.Parse(await status.GetAttributeAsync("data-connections") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await vncViewer.Locator("button").ClickAsync();
        await Assertions.Expect(status).ToHaveAttributeAsync("data-connections", (connections + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), wait);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "connected", wait);

        // The VM is stopped and started again (a new QEMU): both consoles come back without a reload.
        var serialLog = Path.Combine(Cluster.AgentVmDataDirectory, vmId.ToString(), "serial.log");
        var boots = ReadyLines(serialLog);
        await PostAsync($"/api/v1/vms/{vmId}/stop");
        await Assertions.Expect(status).Not.ToHaveAttributeAsync("data-state", "connected", wait);
        await vnc.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-vnc-disconnected") });
        await PostAsync($"/api/v1/vms/{vmId}/start");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "connected", wait);
        await Assertions.Expect(serial.GetByTestId("serial-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        await screen.ClickAsync();
        var again = $"again-{Guid.NewGuid().ToString("N")[..8]}";

        // The new guest may still be booting: its tty1 shell takes the line once it is up.
        await TestCluster.WaitUntilAsync(() => Task.FromResult(ReadyLines(serialLog) > boots), Boot, () => "the restarted guest did not print its ready line");
        await GuestKeyboard.TypeLineAsync(vnc.Keyboard, $"echo {again} > /dev/ttyS0");
        await Assertions.Expect(serialScreen).ToContainTextAsync(again, text);
        await vnc.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-vnc-reconnected") });

        // The same console as a tab of the VM page, and popped out into a window of its own.
        await vnc.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}");
        await vnc.GetByRole(AriaRole.Tab, new() { Name = "Console" }).ClickAsync();
        await Assertions.Expect(vnc.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        var popup = await vnc.RunAndWaitForPopupAsync(() => vnc.GetByTestId("console-popout").ClickAsync());
        await Assertions.Expect(popup.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        await Assertions.Expect(popup.GetByTestId("console-popout")).ToHaveCountAsync(0);
        await vnc.GetByTestId("theme-toggle").ClickAsync();
        await vnc.GetByRole(AriaRole.Tab, new() { Name = "Serial" }).ClickAsync();
        await Assertions.Expect(vnc.GetByTestId("serial-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        await vnc.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("console-serial-tab-dark") });
    }

    private static int ReadyLines(string serialLog)
    {
        var log = File.ReadAllText(serialLog);
        return (log.Length - log.Replace(TestGuest.ReadyLine, "", StringComparison.Ordinal).Length) / TestGuest.ReadyLine.Length;
    }

    private async Task PostAsync(string path)
    {
        using var response = await Cluster.Api.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
    }
}
