using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>What the UI tests share: VMs made through the API, a signed-in page, the dark-theme check.</summary>
internal static class UiTestVms
{
    /// <summary>The dark palette is in effect (WebVirtTheme's PaletteDark background, #0d1117).</summary>
    public const string DarkBackground = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '').startsWith('rgba(13,17,23')";

    public static async Task<Guid> CreateAsync(TestCluster cluster, Guid hostId, string name)
    {
        using var response = await cluster.Api.PostAsJsonAsync("/api/v1/vms", new { name, hostId, memoryMiB = 256, cdromIsoPath = cluster.GuestIsoInPool });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }

    /// <summary>A screenshot of the page itself: mouse away (no tooltip), scrolled to the top, snackbars hidden.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        // Only for the picture: let tab and ripple animations settle.
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath(name), Style = ".mud-snackbar { display: none !important; }" });
    }

    public static async Task<IPage> SignedInPageAsync(IBrowser browser, TestCluster cluster, int width, int height)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return page;
    }
}
