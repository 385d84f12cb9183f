using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The layout's top bar and task panel in the real Chromium against the panel and an agent as real processes:
/// the theme kept on the account, the global search, and tasks made through the API showing up live.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class TopBarTests : ClusterBrowserTest
{
    /// <summary>The dark palette is in effect (WebVirtTheme's PaletteDark background, #0d1117).</summary>
    private const string DarkBackground = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '').startsWith('rgba(13,17,23')";
    private const string LightBackground = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '').startsWith('rgba(244,246,250')";


    [Fact]
    public async Task Theme_IsKeptOnTheAccount_AndFollowsToAnotherBrowser()
    {
        var first = await SignedInPageAsync();
        await first.WaitForFunctionAsync(LightBackground);
        await first.GetByTestId("theme-toggle").ClickAsync();
        await first.WaitForFunctionAsync(DarkBackground);

        // A fresh browser profile: nothing in its storage, the account says dark.
        var second = await SignedInPageAsync();
        await second.WaitForFunctionAsync(DarkBackground);
        await second.GetByTestId("theme-toggle").ClickAsync();
        await second.WaitForFunctionAsync(LightBackground);
        await first.ReloadAsync();
        await first.WaitForFunctionAsync(LightBackground);
    }

    [Fact]
    public async Task GlobalSearch_SlashFocusesIt_FindsAVmByNameAndOpensItsPage()
    {
        var vmId = await CreateVmAsync("search-target");
        await CreateVmAsync("other-vm");
        var page = await SignedInPageAsync();

        await page.Keyboard.PressAsync("/");
        var input = page.GetByTestId("global-search").Locator("input");
        await Assertions.Expect(input).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("search-tar");
        var hit = page.GetByTestId("search-hit").Filter(new() { HasText = "search-target" });
        await Assertions.Expect(hit).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("search-hit")).ToHaveCountAsync(1);
        await Assertions.Expect(hit).ToContainTextAsync("Stopped on node1");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("search-light") });

        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/vms/{vmId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "search-target" })).ToBeVisibleAsync();
        // The box empties itself for the next search once the VM page opened.
        await Assertions.Expect(input).ToHaveValueAsync("");

        // By state and by host name too.
        await input.FillAsync("stopped");
        await Assertions.Expect(page.GetByTestId("search-hit")).ToHaveCountAsync(2);
        await input.FillAsync("node1");
        await Assertions.Expect(page.GetByTestId("search-hit").Filter(new() { HasText = "Host, connected" })).ToBeVisibleAsync();
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(DarkBackground);
        await input.FillAsync("vm");
        await Assertions.Expect(page.GetByTestId("search-hit").Filter(new() { HasText = "other-vm" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("search-dark") });
    }

    [Fact]
    public async Task TaskPanel_ShowsApiTasksWithoutReload_AndOpensTheirLog()
    {
        var page = await SignedInPageAsync();
        await page.GetByTestId("task-panel-toggle").ClickAsync();
        var rows = page.GetByTestId("task-panel-row");
        await Assertions.Expect(page.GetByTestId("task-panel-table")).ToBeVisibleAsync();

        var vmId = await CreateVmAsync("panel-vm");
        var create = rows.Filter(new() { HasText = "vm.create" }).Filter(new() { HasText = "panel-vm" });
        await Assertions.Expect(create).ToBeVisibleAsync();
        await Assertions.Expect(create.GetByTestId("task-panel-status")).ToHaveTextAsync("OK");
        await Assertions.Expect(create).ToContainTextAsync("admin");

        using (var start = await Cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
        {
            Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync());
        }

        var started = rows.Filter(new() { HasText = "vm.start" });
        await Assertions.Expect(started.GetByTestId("task-panel-status")).ToHaveTextAsync("OK", new() { Timeout = 90_000 });
        // Newest first.
        await Assertions.Expect(rows.First).ToContainTextAsync("vm.start");
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("task-panel-light") });

        await create.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("vm.create");
        await Assertions.Expect(dialog.GetByTestId("task-log-status")).ToHaveTextAsync("OK");
        await Assertions.Expect(dialog.GetByTestId("task-log-lines")).ToBeVisibleAsync();
        await dialog.GetByTestId("task-log-close").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // A task with log lines: the hard stop logs the agent's reason.
        using (var stop = await Cluster.Api.PostAsync($"/api/v1/vms/{vmId}/stop", null))
        {
            Assert.True(stop.IsSuccessStatusCode, await stop.Content.ReadAsStringAsync());
        }

        await Cluster.WaitForVmStateAsync(vmId, "Stopped");
        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(DarkBackground);
        await page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(rows.First).ToContainTextAsync("vm.stop");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("task-panel-dark") });
        await rows.First.ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("vm.stop");
        await Assertions.Expect(dialog.GetByTestId("task-log-lines")).Not.ToContainTextAsync("No log lines yet.");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("task-log-dialog-dark") });
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("task-panel")).ToBeVisibleAsync();
        return page;
    }

    private async Task<Guid> CreateVmAsync(string name)
    {
        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId = HostId,
            memoryMiB = 256,
            cdromIsoPath = Cluster.GuestIsoInPool,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }
}
