using System.Net;
using System.Net.Http.Json;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Operations;

/// <summary>
/// The order of "not found" and "forbidden" each operation keeps through the shared pipeline (its VmAccess): every
/// command hides a VM from a user without VM.Audit (as the API's lists and reads do); power looks the VM up first, so a
/// missing VM is "not found" to anyone, while disk actions, hardware, options and the CD-ROM check privileges first.
/// </summary>
public sealed class VmAccessOrderTests : IAsyncLifetime
{
    private readonly PanelFactory _factory = new();
    private HttpClient _admin = null!;
    private FakeAgent _agent = null!;
    private Guid _inPool;
    private Guid _outside;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "worker");
        _agent = new FakeAgent(_factory, host.Token);
        await _agent.ConnectAsync();
        await _agent.RegisterAsync();
        _inPool = await PanelClients.CreateVmAsync(_admin, new { name = "web01", memoryMiB = 256 });
        _outside = await PanelClients.CreateVmAsync(_admin, new { name = "db01", memoryMiB = 256 });
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreatePoolAsync(admin, "frontend", "web servers"));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetVmPoolAsync(admin, _inPool, "frontend"));
    }

    [Fact]
    public async Task VmTheUserCannotSee_EveryCommandSaysNotFound()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "ops");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/pools/frontend", userId, null, BuiltInRoles.Operator, propagate: true));
        using var ops = await PanelAccess.ClientAsync(_factory, "ops");

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(ops.PostAsync($"/api/v1/vms/{_outside}/stop", null)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(ops.DeleteAsync($"/api/v1/vms/{_outside}/disks/disk0")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(ops.PutAsJsonAsync($"/api/v1/vms/{_outside}/hardware", new { memoryMiB = 512 })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(ops.PatchAsJsonAsync($"/api/v1/vms/{_outside}", new { description = "x" })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(ops.PostAsJsonAsync($"/api/v1/vms/{_outside}/cdrom", new { isoPath = (string?)null })));
    }

    [Fact]
    public async Task MissingVm_PowerSaysNotFound_ToAUserWhoMayNotActOnIt_DisksSayForbidden()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "audit");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Auditor, propagate: true));
        using var audit = await PanelAccess.ClientAsync(_factory, "audit");
        var missing = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(audit.PostAsync($"/api/v1/vms/{missing}/start", null)));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(audit.DeleteAsync($"/api/v1/vms/{missing}/disks/disk0")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(audit.PutAsJsonAsync($"/api/v1/vms/{missing}/hardware", new { memoryMiB = 512 })));

        // Where the user may see the VM, the refusal names what is missing.
        using var stop = await audit.PostAsync($"/api/v1/vms/{_inPool}/stop", null);
        Assert.Equal(HttpStatusCode.Forbidden, stop.StatusCode);
        Assert.Contains($"You may see VM 'web01' but not stop it: that needs {Privileges.VmPowerMgmt}.", await stop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }
}
