using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Ui;

/// <summary>
/// Team access end to end in the real Chromium against the panel and an agent as real processes: the
/// administrator creates users, a pool and permissions through the admin pages; then each user, in their
/// own browser context, sees only what they were given.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class AccessAdminTests : ClusterBrowserTest
{
    private const string UserPassword = "team-member-password-1";
    private static readonly string[] AdminPages = ["users", "groups", "roles", "pools", "permissions", "tokens", "hosts"];

    [Fact]
    public async Task AdminGrantsAccessThroughThePages_EachUserSeesOnlyWhatTheyWereGiven()
    {
        var teamVm = await CreateVmAsync("team-vm");
        var otherVm = await CreateVmAsync("other-vm");

        var admin = await NewPageAsync();
        await SignInAsync(admin, "admin", TestCluster.AdminPassword);
        await Assertions.Expect(admin.GetByTestId("nav-admin")).ToBeVisibleAsync();

        // Users: "ops" and "audit", without the first-sign-in password change.
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/users");
        await CreateUserAsync(admin, "ops");
        await CreateUserAsync(admin, "audit");

        // A group, and ops in it (from the Users page).
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/groups");
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("operators");
        await admin.GetByTestId("group-create").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("groups-table")).ToContainTextAsync("operators");
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/users");
        var opsRow = admin.Locator("tr", new() { Has = admin.GetByTestId("user-row-name").GetByText("ops", new() { Exact = true }) });
        await ChooseAsync(admin, opsRow.GetByTestId("user-add-group"), "operators");
        await Assertions.Expect(opsRow).ToContainTextAsync("operators");

        // Pool "team" holding team-vm only.
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/pools");
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("team");
        await admin.GetByTestId("pool-create").ClickAsync();
        var poolRow = admin.Locator("tr", new() { Has = admin.GetByTestId("pool-row-name").GetByText("team", new() { Exact = true }) });
        await Assertions.Expect(poolRow).ToBeVisibleAsync();
        await ChooseAsync(admin, poolRow.GetByTestId("pool-add-vm"), "team-vm");
        await Assertions.Expect(poolRow).ToContainTextAsync("team-vm");

        // Operator on the pool for ops, Auditor on / for audit.
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/permissions");
        await AddPermissionAsync(admin, "Pool team", "ops", "Operator");
        await AddPermissionAsync(admin, "/ (everything)", "audit", "Auditor");
        var table = admin.GetByTestId("acl-table");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "/pools/team" })).ToContainTextAsync("Operator");
        await Assertions.Expect(table.Locator("tr", new() { HasText = "audit" })).ToContainTextAsync("Auditor");

        // Hosts: adding one shows the command for its agent, with the token and this panel's address.
        await admin.GotoAsync(Cluster.PanelUrl + "/admin/hosts");
        await admin.GetByLabel("Host name").FillAsync("node2");
        await admin.GetByTestId("host-create").ClickAsync();
        var command = admin.GetByTestId("host-command");
        await Assertions.Expect(command).ToContainTextAsync($"Agent__PanelUrl={Cluster.PanelUrl}");
        await Assertions.Expect(command).ToContainTextAsync("echo 'wvh_");
        await Assertions.Expect(command).ToContainTextAsync("> /etc/webvirt/agent-token");
        await Assertions.Expect(admin.GetByTestId("hosts-table").Locator("tr", new() { HasText = "node2" })).ToContainTextAsync("Waiting for its agent");
        await admin.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("admin-hosts-added") });

        await ScreenshotAdminPagesAsync(admin, "light");
        await admin.GetByTestId("theme-toggle").ClickAsync();
        await admin.WaitForFunctionAsync(DarkBackground);
        await ScreenshotAdminPagesAsync(admin, "dark");

        // ops: the pool's VM, with power buttons; the other VM neither listed nor reachable by its address.
        var ops = await NewPageAsync();
        await SignInAsync(ops, "ops", UserPassword);
        var teamRow = ops.Locator("tr.wv-vm-row", new() { HasText = "team-vm" });
        await Assertions.Expect(teamRow).ToBeVisibleAsync();
        await Assertions.Expect(teamRow.GetByTestId("vm-start")).ToBeVisibleAsync();
        await Assertions.Expect(ops.Locator("tr.wv-vm-row", new() { HasText = "other-vm" })).ToHaveCountAsync(0);
        await Assertions.Expect(ops.GetByTestId("nav-admin")).ToHaveCountAsync(0);
        await Assertions.Expect(ops.GetByTestId("create-vm")).ToHaveCountAsync(0);
        await ops.GotoAsync($"{Cluster.PanelUrl}/vms/{otherVm}");
        await Assertions.Expect(ops.GetByText($"No VM with id {otherVm}")).ToBeVisibleAsync();
        await ops.GotoAsync(Cluster.PanelUrl + "/admin/users");
        await Assertions.Expect(ops.GetByTestId("admin-not-allowed")).ToBeVisibleAsync();

        // audit: every VM, no power buttons, and the API refuses a power action with 403.
        var audit = await NewPageAsync();
        await SignInAsync(audit, "audit", UserPassword);
        await Assertions.Expect(audit.Locator("tr.wv-vm-row", new() { HasText = "team-vm" })).ToBeVisibleAsync();
        await Assertions.Expect(audit.Locator("tr.wv-vm-row", new() { HasText = "other-vm" })).ToBeVisibleAsync();
        await Assertions.Expect(audit.GetByTestId("vm-start")).ToHaveCountAsync(0);
        await audit.GotoAsync($"{Cluster.PanelUrl}/vms/{teamVm}");
        await Assertions.Expect(audit.GetByTestId("vm-name")).ToHaveTextAsync("team-vm");
        await Assertions.Expect(audit.GetByTestId("vm-start")).ToHaveCountAsync(0);
        await Assertions.Expect(audit.GetByTestId("vm-delete")).ToHaveCountAsync(0);
        await audit.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath("vm-page-auditor") });

        // Live updates follow each user's permissions: a new VM outside the pool reaches audit's dashboard
        // but not ops's; put into the pool, it reaches ops's too, without a reload.
        await ops.GotoAsync(Cluster.PanelUrl + "/");
        await Assertions.Expect(ops.Locator("tr.wv-vm-row", new() { HasText = "team-vm" })).ToBeVisibleAsync();
        await audit.GotoAsync(Cluster.PanelUrl + "/");
        await Assertions.Expect(audit.Locator("tr.wv-vm-row", new() { HasText = "team-vm" })).ToBeVisibleAsync();
        var lateVm = await CreateVmAsync("late-vm");
        await Assertions.Expect(audit.Locator("tr.wv-vm-row", new() { HasText = "late-vm" })).ToBeVisibleAsync();
        await Assertions.Expect(ops.Locator("tr.wv-vm-row", new() { HasText = "late-vm" })).ToHaveCountAsync(0);
        await Assertions.Expect(ops.GetByTestId("vm-table")).Not.ToContainTextAsync("late-vm");
        using (var move = await Cluster.Api.PutAsync($"/api/v1/access/pools/team/vms/{lateVm}", null))
        {
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        }

        await Assertions.Expect(ops.Locator("tr.wv-vm-row", new() { HasText = "late-vm" })).ToBeVisibleAsync();

        using var auditApi = await ApiClientAsync("audit");
        using var start = await auditApi.PostAsync($"/api/v1/vms/{teamVm}/start", null);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal("Stopped", (await Cluster.GetVmAsync(teamVm)).GetProperty("state").GetString());
        using var opsApi = await ApiClientAsync("ops");
        using var hidden = await opsApi.GetAsync($"/api/v1/vms/{otherVm}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    /// <summary>The dark palette is in effect (WebVirtTheme's PaletteDark background, #0d1117).</summary>
    private const string DarkBackground = "getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').replace(/\\s/g, '').startsWith('rgba(13,17,23')";

    private async Task ScreenshotAdminPagesAsync(IPage page, string theme)
    {
        foreach (var name in AdminPages)
        {
            await page.GotoAsync($"{Cluster.PanelUrl}/admin/{name}");
            await Assertions.Expect(page.Locator(".wv-section-title")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".mud-table").First).ToBeVisibleAsync();
            await page.Mouse.MoveAsync(0, 0);
            await page.ScreenshotAsync(new() { Path = Chromium.ScreenshotPath($"admin-{name}-{theme}"), FullPage = true });
        }
    }

    private static async Task CreateUserAsync(IPage page, string name)
    {
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Initial password").FillAsync(UserPassword);
        await page.GetByLabel("Must change at first sign-in").UncheckAsync();
        await page.GetByTestId("user-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-row-name").GetByText(name, new() { Exact = true })).ToBeVisibleAsync();
    }

    private static async Task AddPermissionAsync(IPage page, string path, string subject, string role)
    {
        await ChooseAsync(page, page.GetByTestId("acl-path"), path);
        await ChooseAsync(page, page.GetByTestId("acl-subject"), subject);
        await ChooseAsync(page, page.GetByTestId("acl-role"), role);
        await page.GetByTestId("acl-add").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync($"{subject} has {role}");
    }

    /// <summary>Opens a MudSelect and picks the item with exactly this text.</summary>
    private static async Task ChooseAsync(IPage page, ILocator select, string item)
    {
        await select.ClickAsync();
        var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(item)}(?!\\w)") });
        await option.First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        return await context.NewPageAsync();
    }

    private async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync(Cluster.PanelUrl + "/");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("vm-table")).ToBeVisibleAsync();
    }

    private async Task<HttpClient> ApiClientAsync(string user)
    {
        var client = new HttpClient { BaseAddress = new Uri(Cluster.PanelUrl) };
        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new { userName = user, password = UserPassword });
        response.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<Guid> CreateVmAsync(string name)
    {
        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new { name, hostId = HostId, memoryMiB = 256 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }
}
