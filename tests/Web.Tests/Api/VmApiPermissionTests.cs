using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>
/// The REST API decides through the ACL: with API tokens of users granted Auditor on / or Operator on a pool,
/// against the in-process panel and a fake agent that defines and starts VMs.
/// </summary>
public sealed class VmApiPermissionTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private HttpClient _admin = null!;
    private FakeAgent _agent = null!;
    private Guid _hostId;
    private Guid _inPool;
    private Guid _outside;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "worker");
        _hostId = host.Id;
        _agent = new FakeAgent(_factory, host.Token);
        await _agent.ConnectAsync();
        await _agent.RegisterAsync();
        _inPool = await CreateVmAsync("web01");
        _outside = await CreateVmAsync("db01");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreatePoolAsync(admin, "frontend", "web servers"));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetVmPoolAsync(admin, _inPool, "frontend"));
    }

    [Fact]
    public async Task Auditor_SeesEveryVm_ButIsForbiddenToActOnThem()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "audit");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Auditor, propagate: true));
        using var audit = await PanelAccess.ClientAsync(_factory, "audit");

        Assert.Equal(["db01", "web01"], await VmNamesAsync(audit));
        using var get = await audit.GetAsync($"/api/v1/vms/{_outside}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);

        using var start = await audit.PostAsync($"/api/v1/vms/{_inPool}/start", null);
        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Equal("application/problem+json", start.Content.Headers.ContentType?.MediaType);
        Assert.Contains(Privileges.VmPowerMgmt, await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_agent.Started);

        using var delete = await audit.DeleteAsync($"/api/v1/vms/{_inPool}");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        using var create = await audit.PostAsJsonAsync("/api/v1/vms", new { name = "sneaky", hostId = _hostId, memoryMiB = 256 });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(2, _agent.Defined.Count);

        using var hosts = await audit.GetAsync("/api/v1/hosts");
        Assert.Single(JsonDocument.Parse(await hosts.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        using var addHost = await audit.PostAsJsonAsync("/api/v1/hosts", new { name = "rogue" });
        Assert.Equal(HttpStatusCode.Forbidden, addHost.StatusCode);
        using var revoke = await audit.PostAsync($"/api/v1/hosts/{_hostId}/revoke", null);
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
    }

    [Fact]
    public async Task OperatorOnAPool_SeesAndPowersOnlyThePoolsVms()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "ops");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/pools/frontend", userId, null, BuiltInRoles.Operator, propagate: true));
        using var ops = await PanelAccess.ClientAsync(_factory, "ops");

        Assert.Equal(["web01"], await VmNamesAsync(ops));
        using var hidden = await ops.GetAsync($"/api/v1/vms/{_outside}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var startHidden = await ops.PostAsync($"/api/v1/vms/{_outside}/start", null);
        Assert.Equal(HttpStatusCode.NotFound, startHidden.StatusCode);
        Assert.DoesNotContain("db01", await startHidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var start = await ops.PostAsync($"/api/v1/vms/{_inPool}/start", null);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal([_inPool], _agent.Started);

        // Operator has no VM.Allocate: no deleting, no creating.
        using var delete = await ops.DeleteAsync($"/api/v1/vms/{_inPool}");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        using var create = await ops.PostAsJsonAsync("/api/v1/vms", new { name = "new", hostId = _hostId, memoryMiB = 256 });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    [Fact]
    public async Task Token_ActsWithItsOwnersCurrentPrivileges()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "worker-bot");
        using var bot = await PanelAccess.ClientAsync(_factory, "worker-bot");
        Assert.Empty(await VmNamesAsync(bot));
        using var noHosts = await bot.GetAsync("/api/v1/hosts");
        Assert.Empty(JsonDocument.Parse(await noHosts.Content.ReadAsStringAsync()).RootElement.EnumerateArray());

        // Granted through a group: the same token sees the host's VMs at once.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreateGroupAsync(admin, "bots", null));
        var groupId = await GroupIdAsync("bots");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetMembershipAsync(admin, groupId, userId, member: true));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, $"/hosts/{_hostId}", null, groupId, BuiltInRoles.Auditor, propagate: true));
        Assert.Equal(["db01", "web01"], await VmNamesAsync(bot));

        // Out of the group: nothing again.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetMembershipAsync(admin, groupId, userId, member: false));
        Assert.Empty(await VmNamesAsync(bot));
    }

    [Fact]
    public async Task WithoutSignIn_TheApiIs401()
    {
        using var anonymous = _factory.CreateClient();

        using var list = await anonymous.GetAsync("/api/v1/vms");
        using var hosts = await anonymous.GetAsync("/api/v1/hosts");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hosts.StatusCode);
    }

    private async Task<Guid> CreateVmAsync(string name)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/vms", new { name, hostId = _hostId, memoryMiB = 256 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
    }

    private async Task<Guid> GroupIdAsync(string name)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return (await db.AccessGroups.SingleAsync(g => g.Name == name)).Id;
    }

    private static async Task<List<string>> VmNamesAsync(HttpClient client)
    {
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/vms")).RootElement;
        return [.. list.EnumerateArray().Select(v => v.GetProperty("name").GetString()!).Order(StringComparer.Ordinal)];
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }
}
