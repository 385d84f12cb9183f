using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Storage;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>
/// Snapshot, backup, clone and pool routes check the operation's own privilege (Proxmox's model), not Sys.Modify on
/// <c>/</c>: VM.Snapshot granted on a resource pool and Datastore.Audit on a storage pool are usable, and what a user
/// lacks is refused with problem+json and changes nothing.
/// </summary>
public sealed class DelegatedPrivilegeTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private readonly List<SnapshotRequest> _taken = [];
    private readonly List<Guid> _backedUp = [];
    private HttpClient _admin = null!;
    private FakeAgent _agent = null!;
    private Guid _hostId;
    private Guid _inPool;
    private Guid _outside;
    private Guid _storageId;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "worker");
        _hostId = host.Id;
        _agent = new FakeAgent(_factory, host.Token);
        _agent.OnSnapshots(
            request =>
            {
                _taken.Add(request);
                return AgentReply.Success();
            },
            _ => new SnapshotListReply(AgentReply.Success(), [new VmSnapshot { Name = "first", CreatedAt = DateTimeOffset.UtcNow }], "first"));
        _agent.OnBackup(request =>
        {
            _backedUp.Add(request.VmUuid);
            return AgentReply.Success();
        });
        _agent.OnListPools(() => new PoolListReply(AgentReply.Success(), []));
        await _agent.ConnectAsync();
        await _agent.RegisterAsync();
        _inPool = await PanelClients.CreateVmAsync(_admin, new { name = "web01", hostId = _hostId, memoryMiB = 256 });
        _outside = await PanelClients.CreateVmAsync(_admin, new { name = "db01", hostId = _hostId, memoryMiB = 256 });
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreatePoolAsync(admin, "frontend", "web servers"));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetVmPoolAsync(admin, _inPool, "frontend"));
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        _storageId = (await db.StoragePools.SingleAsync(p => p.HostId == _hostId)).Id;
    }

    [Fact]
    public async Task OperatorOnAPool_ListsAndTakesSnapshotsOfItsVm_AndNothingItLacks()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "ops");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/pools/frontend", userId, null, BuiltInRoles.Operator, propagate: true));
        using var ops = await PanelAccess.ClientAsync(_factory, "ops");

        using var list = await ops.GetAsync($"/api/v1/vms/{_inPool}/snapshots");
        using var take = await ops.PostAsJsonAsync($"/api/v1/vms/{_inPool}/snapshots", new { name = "before-upgrade" });
        using var other = await ops.PostAsJsonAsync($"/api/v1/vms/{_outside}/snapshots", new { name = "sneaky" });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("\"first\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, take.StatusCode);
        Assert.False(other.IsSuccessStatusCode);
        Assert.Equal(["before-upgrade"], _taken.Select(t => t.Name));

        // Operator holds VM.Backup but no Datastore.AllocateSpace on the pool backups go to, and no VM.Clone.
        using var backup = await ops.PostAsync($"/api/v1/vms/{_inPool}/backups", null);
        await AssertForbiddenAsync(backup, $"{Privileges.DatastoreAllocateSpace} on /storage/{_storageId}");
        Assert.Empty(_backedUp);
        using var clone = await ops.PostAsJsonAsync($"/api/v1/vms/{_inPool}/clone", new { name = "web02" });
        await AssertForbiddenAsync(clone, Privileges.VmClone);

        // Datastore.Audit comes with Operator, but on the resource pool only: no storage pool is listed.
        using var pools = await ops.GetAsync($"/api/v1/hosts/{_hostId}/pools");
        Assert.Equal(HttpStatusCode.OK, pools.StatusCode);
        Assert.Empty(JsonDocument.Parse(await pools.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task OperatorWithSpaceOnTheBackupPool_BacksUpItsVm()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "ops");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/pools/frontend", userId, null, BuiltInRoles.Operator, propagate: true));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, $"/storage/{_storageId}", userId, null, BuiltInRoles.Administrator, propagate: false));
        using var ops = await PanelAccess.ClientAsync(_factory, "ops");

        using var backup = await ops.PostAsync($"/api/v1/vms/{_inPool}/backups", null);

        Assert.True(backup.IsSuccessStatusCode, await backup.Content.ReadAsStringAsync());
        Assert.Equal([_inPool], _backedUp);
    }

    [Fact]
    public async Task AuditorOnAStoragePool_ListsThatPool_ButCannotChangePoolsOrSnapshots()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "audit");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, $"/storage/{_storageId}", userId, null, BuiltInRoles.Auditor, propagate: false));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, $"/vms/{_inPool}", userId, null, BuiltInRoles.Auditor, propagate: false));
        using var audit = await PanelAccess.ClientAsync(_factory, "audit");

        using var pools = await audit.GetAsync($"/api/v1/hosts/{_hostId}/pools");
        Assert.Equal(HttpStatusCode.OK, pools.StatusCode);
        var listed = JsonDocument.Parse(await pools.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetGuid());
        Assert.Equal([_storageId], listed);

        using var add = await audit.PostAsJsonAsync($"/api/v1/hosts/{_hostId}/pools", new { name = "rogue", path = "/srv/rogue" });
        await AssertForbiddenAsync(add, "");
        using var remove = await audit.DeleteAsync($"/api/v1/hosts/{_hostId}/pools/{_storageId}");
        await AssertForbiddenAsync(remove, "");
        using var snapshots = await audit.GetAsync($"/api/v1/vms/{_inPool}/snapshots");
        Assert.Equal(HttpStatusCode.OK, snapshots.StatusCode);
        using var take = await audit.PostAsJsonAsync($"/api/v1/vms/{_inPool}/snapshots", new { name = "nope" });
        await AssertForbiddenAsync(take, Privileges.VmSnapshot);
        Assert.Empty(_taken);

        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.StoragePools.CountAsync(p => p.HostId == _hostId));
    }

    [Fact]
    public async Task Anonymous_ApiRefusal_HasAProblemBody()
    {
        using var anonymous = await _factory.CreateClient().GetAsync("/api/v1/vms");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, body, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _agent.DisposeAsync();
        _factory.Dispose();
    }
}
