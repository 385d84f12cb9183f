using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>
/// POST /api/v1/vms/{id}/cdrom with a token of a user who holds VM.Config on the VM only: mounting an ISO also
/// needs Datastore.Audit on the ISO's storage pool, or the user could read any pool's ISOs into a guest.
/// </summary>
public sealed class CdromApiPermissionTests : IAsyncLifetime
{
    private const string Iso = "/srv/iso/guest.iso";
    private readonly PanelFactory _factory = new();
    private FakeAgent _agent = default!;
    private Guid _vmId;
    private Guid _isoPoolId;
    private string _userId = "";

    public async Task InitializeAsync()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        _agent = new FakeAgent(_factory, host.Token);
        _agent.HandlePowerAndOptions();
        _agent.HandleCopiesAndCdrom([]);
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        _vmId = await PanelClients.CreateVmAsync(admin, new { name = "cd-vm", memoryMiB = 256 });

        await using (var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            _isoPoolId = Guid.NewGuid();
            db.StoragePools.Add(new StoragePool { Id = _isoPoolId, HostId = host.Id, Name = "isos", Path = "/srv/iso", ContentTypes = StorageContent.Iso });
            await db.SaveChangesAsync();
        }

        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.SaveRoleAsync(a, "VmConfigurer", [Privileges.VmAudit, Privileges.VmConfig]));
        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.SaveRoleAsync(a, "IsoReader", [Privileges.DatastoreAudit]));
        _userId = await PanelAccess.CreateUserAsync(_factory, "configurer");
        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.AddAclEntryAsync(a, AclPaths.Vm(_vmId), _userId, null, "VmConfigurer", propagate: false));
        _agent.Calls.Clear();
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _factory.Dispose();
    }

    [Fact]
    public async Task InsertIso_WithoutDatastoreAuditOnItsPool_Is403AndChangesNothing()
    {
        using var client = await PanelAccess.ClientAsync(_factory, "configurer");

        using var response = await client.PostAsJsonAsync($"/api/v1/vms/{_vmId}/cdrom", new { isoPath = Iso });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{Privileges.DatastoreAudit} on pool 'isos'", body, StringComparison.Ordinal);
        Assert.Empty(_agent.Calls);
        Assert.Null(await CdromOfVmAsync());
    }

    [Fact]
    public async Task InsertIso_WithDatastoreAuditOnItsPool_ReachesTheHost()
    {
        await PanelAccess.AsAdminAsync(_factory, (access, a) => access.AddAclEntryAsync(a, AclPaths.Storage(_isoPoolId), _userId, null, "IsoReader", propagate: false));
        using var client = await PanelAccess.ClientAsync(_factory, "configurer");

        using var response = await client.PostAsJsonAsync($"/api/v1/vms/{_vmId}/cdrom", new { isoPath = Iso });

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal([$"cdrom {Iso}"], _agent.Calls);
        Assert.Equal(Iso, await CdromOfVmAsync());
    }

    private async Task<string?> CdromOfVmAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return await db.Vms.AsNoTracking().Where(v => v.Id == _vmId).Select(v => v.CdromIsoPath).SingleAsync();
    }
}
