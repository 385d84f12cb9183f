using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.E2E.Tests.Ui;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Consoles;

/// <summary>Live thumbnails from the real QEMU's screendump: the dashboard's VM table and the VM page's summary show the booted guest's screen.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class ThumbnailTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RunningVm_ShowsItsScreen_OnTheDashboardAndTheVmPage()
    {
        var visible = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)Boot.TotalMilliseconds };
        var vmId = await Cluster.CreateAndStartGuestVmAsync(HostId, "thumb-vm");
        // The VM table shows thumbnails from 1600 px wide; below, the column gives way to the actions.
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var thumbnail = page.GetByTestId("vm-table").GetByTestId("vm-thumbnail");
        await Assertions.Expect(thumbnail).ToBeVisibleAsync(visible);
        await AssertDecodedPngAsync(thumbnail);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("thumbnail-dashboard") });

        await page.GotoAsync($"{Cluster.PanelUrl}/vms/{vmId}");
        var summary = page.GetByTestId("vm-summary-screen").GetByTestId("vm-thumbnail");
        await Assertions.Expect(summary).ToBeVisibleAsync(visible);
        await AssertDecodedPngAsync(summary);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("thumbnail-vm-page") });
    }

    /// <summary>The browser decoded the image: QEMU's screendump came through as a real PNG, scaled down to thumbnail width.</summary>
    private static async Task AssertDecodedPngAsync(ILocator image)
    {
        await Assertions.Expect(image).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        var size = await image.EvaluateAsync<int[]>("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])");
        // QEMU's text mode screen is 720×400 (640×480 in graphics): scaled down to 240 wide, aspect kept.
        Assert.True(size[0] == 240 && size[1] >= 100 && size[1] <= 200, $"the thumbnail decoded to {size[0]}×{size[1]}");
    }
}
