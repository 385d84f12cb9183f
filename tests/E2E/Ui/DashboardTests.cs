using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// The web UI in the real Chromium against the panel and an agent as real processes: sign-in, the
/// dashboard, and changes made elsewhere (the API, another browser) showing up without a reload.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class DashboardTests : ClusterBrowserTest
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task WrongPassword_ShowsTheErrorAndStaysOnSignIn()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + "/");
        Assert.Contains("/account/login", page.Url);
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("Wrong user name or password");
        Assert.Contains("/account/login", page.Url);
        await Assertions.Expect(page.GetByLabel("User name")).ToHaveValueAsync("admin");
    }

    [Fact]
    public async Task Dashboard_ShowsTheHostAndFollowsChangesWithoutReload()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Cluster.PanelUrl + "/");
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("login") });
        await SignInAsync(page);

        var card = page.GetByTestId("host-card").Filter(new() { HasText = "node1" });
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByTestId("host-connection")).ToHaveTextAsync("Connected");
        await Assertions.Expect(card.GetByTestId("host-accelerator")).ToHaveTextAsync("TCG");
        var reason = (await HostAsync()).GetProperty("acceleratorReason").GetString()!;
        await Assertions.Expect(card.GetByTestId("host-accelerator-reason")).ToHaveTextAsync(reason);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("admin");

        var other = await NewPageAsync();
        await other.GotoAsync(Cluster.PanelUrl + "/");
        await SignInAsync(other);

        var vmId = await CreateVmAsync("ui-vm");
        var row = page.Locator("tr.wv-vm-row", new() { HasText = "ui-vm" });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByTestId("vm-state")).ToHaveTextAsync("Stopped");
        var otherRow = other.Locator("tr.wv-vm-row", new() { HasText = "ui-vm" });
        await Assertions.Expect(otherRow).ToBeVisibleAsync();

        await row.GetByTestId("vm-start").ClickAsync();
        await Assertions.Expect(row.GetByTestId("vm-state")).ToHaveTextAsync("Running", new() { Timeout = (float)Boot.TotalMilliseconds });
        await Assertions.Expect(otherRow.GetByTestId("vm-state")).ToHaveTextAsync("Running", new() { Timeout = (float)Boot.TotalMilliseconds });
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Start of VM 'ui-vm' done");
        Assert.Equal("Running", (await Cluster.GetVmAsync(vmId)).GetProperty("state").GetString());
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-light") });

        await row.GetByTestId("vm-stop").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Unsaved data in the guest is lost");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Stop (hard power-off)" }).ClickAsync();
        await Assertions.Expect(otherRow.GetByTestId("vm-state")).ToHaveTextAsync("Stopped", new() { Timeout = (float)Boot.TotalMilliseconds });

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync(DarkBackground);
        await page.ReloadAsync();
        await page.WaitForFunctionAsync(DarkBackground);
        await Assertions.Expect(row.GetByTestId("vm-state")).ToHaveTextAsync("Stopped");
        await page.Mouse.MoveAsync(0, 0);
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("dashboard-dark") });

        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/account/login**");
    }

    /// <summary>The dark palette is in effect (WebVirtTheme's PaletteDark background, #0d1117).</summary>
    private const string DarkBackground = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '').startsWith('rgba(13,17,23')";

    private async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        return page;
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(TestCluster.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        // Interactive once the circuit is up: MudBlazor's table renders its toolbar from the server.
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();
    }

    private async Task<JsonElement> HostAsync()
    {
        var hosts = JsonDocument.Parse(await Cluster.Api.GetStringAsync("/api/v1/hosts")).RootElement;
        return hosts.EnumerateArray().Single(h => h.GetProperty("id").GetGuid() == HostId);
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
