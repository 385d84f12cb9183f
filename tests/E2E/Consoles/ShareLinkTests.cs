using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.E2E.Tests.Ui;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Consoles;

/// <summary>
/// Console share links in the real Chromium, panel and agent on the booted test guest: an administrator creates
/// a view-only and an interactive link from the console's Share dialog; fresh browser contexts without any
/// sign-in open them and connect; keys typed through the interactive link reach the guest; revoking the
/// view-only link cuts its viewer off and the page then says the link was revoked.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class ShareLinkTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ShareLinks_OpenWithoutSigningIn_InteractiveTypes_RevokedIsCutOff()
    {
        var wait = new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)Boot.TotalMilliseconds };
        var text = new LocatorAssertionsToContainTextOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await Cluster.CreateAndStartGuestVmAsync(HostId, "shared-vm");
        var adminContext = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var admin = await Chromium.SignInAsAdminAsync(adminContext, Cluster.PanelUrl);
        await admin.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}/console");
        await Assertions.Expect(admin.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", wait);

        // View only is the default; then an interactive one.
        await admin.GetByTestId("console-share").ClickAsync();
        var dialog = admin.GetByTestId("share-dialog");
        await Assertions.Expect(admin.GetByTestId("share-none")).ToBeVisibleAsync();
        var viewOnlyUrl = await CreateLinkAsync(admin);
        await admin.GetByTestId("share-view-only").ClickAsync();
        var interactiveUrl = await CreateLinkAsync(admin);
        Assert.NotEqual(viewOnlyUrl, interactiveUrl);
        Assert.StartsWith($"{Cluster.PanelUrl}/share/", viewOnlyUrl, StringComparison.Ordinal);
        await Assertions.Expect(admin.GetByTestId("share-link-row")).ToHaveCountAsync(2);
        await admin.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("share-dialog") });

        // A fresh context has no cookie: the view-only link still connects, with input switched off.
        var watcherContext = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        var watcher = await watcherContext.NewPageAsync();
        await watcher.GotoAsync(viewOnlyUrl);
        var watcherStatus = watcher.GetByTestId("console-status");
        await Assertions.Expect(watcherStatus).ToHaveAttributeAsync("data-state", "connected", wait);
        await Assertions.Expect(watcher.GetByTestId("share-access")).ToContainTextAsync("View only");
        await Assertions.Expect(watcher.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
        await Assertions.Expect(watcher.GetByTestId("console-ctrl-alt-del")).ToBeDisabledAsync();
        await watcher.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("share-view-only") });
        await watcher.GetByTestId("theme-toggle").ClickAsync();
        await watcher.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("share-view-only-dark") });

        // The interactive link, in another fresh context: keys reach the guest's shell.
        var typistContext = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        var typist = await typistContext.NewPageAsync();
        await typist.GotoAsync(interactiveUrl);
        await Assertions.Expect(typist.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        await Assertions.Expect(typist.GetByTestId("share-access")).ToContainTextAsync("Interactive");
        await typist.GetByTestId("vnc-screen").Locator("canvas").ClickAsync();
        var marker = $"shared-{Guid.NewGuid().ToString("N")[..10]}";
        var serialLog = Path.Combine(Cluster.AgentVmDataDirectory, vmId.ToString(), "serial.log");
        await TestCluster.WaitUntilAsync(
            () => Task.FromResult(File.ReadAllText(serialLog).Contains(TestGuest.ReadyLine, StringComparison.Ordinal)),
            Boot, () => "the guest did not print its ready line");
        await GuestKeyboard.TypeLineAsync(typist.Keyboard, $"echo {marker} > /dev/ttyS0");
        await TestCluster.WaitUntilAsync(
            () => Task.FromResult(File.ReadAllText(serialLog).Contains(marker, StringComparison.Ordinal)),
            Boot, () => "keys typed through the interactive share link did not reach the guest");

        // Revoking the view-only link (the first row: both live an hour, it was made first) cuts its viewer off.
        await dialog.GetByTestId("share-revoke").First.ClickAsync();
        await Assertions.Expect(admin.GetByTestId("share-link-row")).ToHaveCountAsync(1);
        await Assertions.Expect(watcherStatus).ToContainTextAsync("revoked", text);
        await Assertions.Expect(watcherStatus).Not.ToHaveAttributeAsync("data-state", "connected");
        await Assertions.Expect(typist.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected");
        await watcher.ReloadAsync();
        await Assertions.Expect(watcher.GetByTestId("share-refused")).ToContainTextAsync("revoked");
        await watcher.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("share-revoked") });
    }

    private static async Task<string> CreateLinkAsync(IPage admin)
    {
        var url = admin.Locator("input[data-testid=share-url], [data-testid=share-url] input");
        var before = await url.CountAsync() > 0 ? await url.InputValueAsync() : "";
        await admin.GetByTestId("share-create").ClickAsync();
        await Assertions.Expect(url).Not.ToHaveValueAsync(before);
        var value = await url.InputValueAsync();
        Assert.Contains("/share/wvs_", value, StringComparison.Ordinal);
        return value;
    }
}
