using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The dashboard's filters and bulk actions in the real Chromium against the panel and an agent as real
/// processes: filter by tag, select what is shown, confirm, and both VMs really start under QEMU.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class DashboardBulkTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task FilterByTag_BulkStartOfTwoVms_AfterConfirmation_ClearsTheSelection()
    {
        var a = await UiTestVms.CreateAsync(Cluster, HostId, "batch-a");
        var b = await UiTestVms.CreateAsync(Cluster, HostId, "batch-b");
        var other = await UiTestVms.CreateAsync(Cluster, HostId, "other");
        foreach (var id in new[] { a, b })
        {
            using var tagged = await Cluster.Api.PatchAsJsonAsync($"/api/v1/vms/{id}", new { tags = new[] { "batch" } });
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        }

        var page = await UiTestVms.SignedInPageAsync(Browser, Cluster, 1920, 1080);
        var rows = page.Locator("tr.wv-vm-row");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await UiTestVms.ScreenshotAsync(page, "dashboard-1920-light");

        await page.GetByTestId("vm-filter-tag").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "batch" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("vm-count")).ToHaveTextAsync("2 of 3");
        await Assertions.Expect(page.Locator("tr.wv-vm-row", new() { HasText = "other" })).ToHaveCountAsync(0);

        await page.GetByTestId("vm-select-all").CheckAsync(new() { Force = true });
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 selected");
        await page.GetByTestId("bulk-start").ClickAsync();
        var dialog = page.GetByTestId("bulk-dialog");
        await Assertions.Expect(dialog.GetByTestId("bulk-vm")).ToHaveTextAsync(["batch-a", "batch-b"]);
        await UiTestVms.ScreenshotAsync(page, "dashboard-bulk-confirm");

        // Cancel changes nothing; confirming starts both.
        await page.GetByTestId("bulk-cancel").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-count")).ToHaveTextAsync("2 selected");
        Assert.Equal("Stopped", (await Cluster.GetVmAsync(a)).GetProperty("state").GetString());
        await page.GetByTestId("bulk-start").ClickAsync();
        await page.GetByTestId("bulk-confirm").ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Start: 2 of 2 VMs done.", new() { Timeout = (float)Boot.TotalMilliseconds });
        await Assertions.Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("vm-select-all")).Not.ToBeCheckedAsync();
        foreach (var name in new[] { "batch-a", "batch-b" })
        {
            await Assertions.Expect(page.Locator("tr.wv-vm-row", new() { HasText = name }).GetByTestId("vm-state"))
                .ToHaveTextAsync("Running", new() { Timeout = (float)Boot.TotalMilliseconds });
        }

        Assert.Equal("Running", (await Cluster.GetVmAsync(a)).GetProperty("state").GetString());
        Assert.Equal("Running", (await Cluster.GetVmAsync(b)).GetProperty("state").GetString());
        Assert.Equal("Stopped", (await Cluster.GetVmAsync(other)).GetProperty("state").GetString());

        await page.GetByTestId("vm-filter-clear").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await UiTestVms.ScreenshotAsync(page, "dashboard-1920-running");
        await page.SetViewportSizeAsync(1366, 768);
        await UiTestVms.ScreenshotAsync(page, "dashboard-1366-light");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(UiTestVms.DarkBackground);
        await UiTestVms.ScreenshotAsync(page, "dashboard-1366-dark");
        await page.SetViewportSizeAsync(1920, 1080);
        await UiTestVms.ScreenshotAsync(page, "dashboard-1920-dark");
        await page.GetByTestId("theme-toggle").ClickAsync();
    }
}
