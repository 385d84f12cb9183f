using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.E2E.Tests.Ui;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Consoles;

/// <summary>
/// The single-machine setup, panel and agent in one process: an ISO uploaded to the local host is written into
/// its pool directly, and the VNC and serial consoles of a VM booted from it reach the VM's sockets directly,
/// without the loopback tunnel a remote host's agent dials (the panel's log says which way each went).
/// Keys typed on the VNC console reach the guest, whose output the serial console shows.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class EmbeddedPathTests : IAsyncLifetime
{
    private const int ChunkBytes = 4 << 20;
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private readonly TestCluster _cluster = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Guid _hostId;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        _hostId = await _cluster.StartEmbeddedPanelAsync(new Dictionary<string, string>
        {
            // The direct upload path says so at Debug level, once per chunk.
            ["Logging__LogLevel__WebVirt.Web.Storage.UploadOperations"] = "Debug",
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task UploadAndConsoles_OnTheLocalHost_GoStraightToThePoolAndTheVmsSockets()
    {
        var pools = JsonDocument.Parse(await _cluster.Api.GetStringAsync($"/api/v1/hosts/{_hostId}/pools")).RootElement;
        var poolId = pools.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "default").GetProperty("id").GetGuid();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_cluster.Guest.IsoPath)));
        var upload = new ChunkedUpload(_cluster.Api, _hostId, poolId, "uploaded-guest.iso", _cluster.Guest.IsoPath, ChunkBytes);
        var done = await upload.RunAsync(sha256);
        Assert.True(done.GetProperty("complete").GetBoolean(), done.ToString());
        Assert.Equal(sha256, done.GetProperty("sha256").GetString());
        var isoPath = done.GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(_cluster.ImagePool, "uploaded-guest.iso"), isoPath);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(isoPath))));
        var chunks = (int)((upload.TotalBytes + ChunkBytes - 1) / ChunkBytes);
        Assert.Equal(chunks + upload.Retries, Occurrences(_cluster.Panel!.Output, "written into the local pool directly"));

        var vmId = await _cluster.CreateAndStartGuestVmAsync(_hostId, "embedded-vm", isoPath);
        var wait = new LocatorAssertionsToHaveAttributeOptions { Timeout = (float)Boot.TotalMilliseconds };
        var text = new LocatorAssertionsToContainTextOptions { Timeout = (float)Boot.TotalMilliseconds };
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        var vnc = await Chromium.SignInAsAdminAsync(context, _cluster.PanelUrl);
        var serial = await context.NewPageAsync();
        await serial.GotoAsync($"{_cluster.PanelUrl}/vms/{vmId}/serial");
        await Assertions.Expect(serial.GetByTestId("serial-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        var serialScreen = serial.GetByTestId("serial-screen");
        await Assertions.Expect(serialScreen).ToContainTextAsync(TestGuest.ReadyLine, text);

        await vnc.GotoAsync($"{_cluster.PanelUrl}/vms/{vmId}/console");
        await Assertions.Expect(vnc.GetByTestId("console-status")).ToHaveAttributeAsync("data-state", "connected", wait);
        await vnc.GetByTestId("vnc-screen").Locator("canvas").ClickAsync();
        var marker = $"direct-{Guid.NewGuid().ToString("N")[..10]}";
        await GuestKeyboard.TypeLineAsync(vnc.Keyboard, $"echo {marker} > /dev/ttyS0");
        await Assertions.Expect(serialScreen).ToContainTextAsync(marker, text);

        var output = _cluster.Panel.Output;
        Assert.Contains($"opened the Serial console of VM {vmId} (Direct)", output, StringComparison.Ordinal);
        Assert.Contains($"opened the Vnc console of VM {vmId} (Direct)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(Tunnel)", output, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
