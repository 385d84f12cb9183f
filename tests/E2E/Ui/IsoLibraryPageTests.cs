using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>The ISO library and storage pages in the real Chromium, uploading through the page's own chunked upload code.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class IsoLibraryPageTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();

        // Small chunks, so that the 16 MB guest ISO takes several requests and the progress bar moves.
        await _cluster.StartPanelAsync(new Dictionary<string, string> { ["Storage__ChunkBytes"] = (2 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await _cluster.AddHostAsync("node1");
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
    public async Task UploadThroughThePage_ReachesOneHundredPercent_AndTheIsoIsListedEverywhere()
    {
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(_cluster.Guest.IsoPath)));
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();

        await page.GetByTestId("nav-isos").ClickAsync();
        await Assertions.Expect(page.GetByTestId("upload-panel")).ToBeVisibleAsync();
        await page.GetByTestId("upload-file").SetInputFilesAsync(_cluster.Guest.IsoPath);
        await page.GetByTestId("upload-sha256").FillAsync(sha256);
        await Assertions.Expect(page.GetByTestId("upload-start")).ToBeEnabledAsync();
        await page.GetByTestId("upload-start").ClickAsync();

        await Assertions.Expect(page.GetByTestId("upload-percent")).ToContainTextAsync("100%", new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByTestId("upload-done")).ToContainTextAsync(sha256);
        var row = page.GetByTestId("iso-table").Locator("tr", new() { HasText = "webvirt-guest.iso" });
        await Assertions.Expect(row).ToContainTextAsync(sha256);
        Assert.True(File.Exists(Path.Combine(_cluster.ImagePool, "webvirt-guest.iso")));
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("iso-library"), FullPage = true });

        await page.GetByTestId("nav-storage").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pool-usage").First).ToContainTextAsync("free of");
        await Assertions.Expect(page.GetByTestId("content-table")).ToContainTextAsync("webvirt-guest.iso");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("storage"), FullPage = true });

        await page.GotoAsync(_cluster.PanelUrl + "/vms/new");
        await page.GetByTestId("create-iso-pick").ClickAsync();
        var choice = page.GetByRole(AriaRole.Option, new() { Name = "webvirt-guest.iso" });
        await Assertions.Expect(choice).ToBeVisibleAsync();
        await choice.ClickAsync();
        await Assertions.Expect(page.GetByLabel("CD-ROM ISO path (optional)")).ToHaveValueAsync(Path.Combine(_cluster.ImagePool, "webvirt-guest.iso"));
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("wizard-iso-picker") });
    }
}
