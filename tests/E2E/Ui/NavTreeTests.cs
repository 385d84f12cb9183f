using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The left navigation tree with hundreds of VMs in the real Chromium, against the panel and an agent as real
/// processes: only the links scrolled into the drawer are in the page, scrolling brings the others, and a link
/// opens its VM highlighted.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed partial class NavTreeTests : ClusterBrowserTest
{
    private const int VmCount = 300;

    [Fact]
    public async Task HundredsOfVms_OnlyTheLinksInTheDrawerAreInThePage_ScrollingBringsTheRest_ALinkOpensItsVmHighlighted()
    {
        var ids = await CreateVmsAsync();
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await Chromium.SignInAsAdminAsync(context, Cluster.PanelUrl);
        var links = page.GetByTestId("nav-host-vm");
        await Assertions.Expect(links.Filter(new() { HasText = "nav-000" })).ToBeVisibleAsync();

        await page.Locator(".mud-drawer").EvaluateAsync("drawer => drawer.scrollTop = drawer.scrollHeight");
        var last = links.Filter(new() { HasText = $"nav-{VmCount - 1:D3}" });
        await Assertions.Expect(last).ToBeVisibleAsync();

        // The rendered window moved with the scrolling: the first links left the page, and far fewer than all are in it
        // (every link would be there if an expanded group clipped its content and became the list's scroll container).
        await Assertions.Expect(links.Filter(new() { HasText = "nav-000" })).ToHaveCountAsync(0);
        Assert.InRange(await links.CountAsync(), 1, 100);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("nav-tree-scrolled") });

        await last.ClickAsync();
        await page.WaitForURLAsync($"**/vms/{ids[^1]}");
        await Assertions.Expect(last).ToHaveClassAsync(ActiveClass());
    }

    [GeneratedRegex(@"\bactive\b")]
    private static partial Regex ActiveClass();

    /// <summary>nav-000… through the API, a few at a time; their ids in name order.</summary>
    private async Task<List<Guid>> CreateVmsAsync()
    {
        var ids = new Guid[VmCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, VmCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellation) =>
        {
            using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new
            {
                name = $"nav-{i:D3}",
                hostId = HostId,
                memoryMiB = 256,
                cdromIsoPath = Cluster.GuestIsoInPool,
            }, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"create nav-{i:D3}: {(int)response.StatusCode} {body}");
            ids[i] = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
        });
        return [.. ids];
    }
}
