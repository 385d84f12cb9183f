using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>PUT /api/v1/vms/{id}/hardware against the real panel and a stand-in agent: what a request leaves out keeps its value.</summary>
public sealed class VmHardwareApiTests : IAsyncLifetime
{
    private const string Iso = "/srv/iso/guest.iso";
    private readonly PanelFactory _factory = new();
    private HttpClient _admin = default!;
    private FakeAgent _agent = default!;
    private Guid _vmId;

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "node1");
        _agent = new FakeAgent(_factory, host.Token);
        _agent.HandlePowerAndOptions();
        _agent.HandleDisks();
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        _vmId = await PanelClients.CreateVmAsync(_admin, new { name = "vm1", memoryMiB = 256, cores = 2, cdromIsoPath = Iso });
    }

    [Fact]
    public async Task Put_OnlyNics_KeepsMemoryCpuAndTheCdromDrive()
    {
        using var response = await PutAsync("""{"nics":[]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vm = await VmAsync();
        Assert.Equal((256, 2, true, Iso), (vm.MemoryMiB, vm.Cores, vm.HasCdrom, vm.CdromIsoPath));
        Assert.Empty(vm.Nics);
    }

    [Fact]
    public async Task Put_OnlyMemory_KeepsTheNics()
    {
        var nics = (await VmAsync()).Nics.Select(n => (n.NicId, n.MacAddress)).ToList();

        using var response = await PutAsync("""{"memoryMiB":512}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vm = await VmAsync();
        Assert.Equal((512, 2, true), (vm.MemoryMiB, vm.Cores, vm.HasCdrom));
        Assert.Equal(nics, vm.Nics.Select(n => (n.NicId, n.MacAddress)).ToList());
    }

    [Fact]
    public async Task Put_RemoveCdrom_RemovesTheDrive_AndCannotBeCombinedWithADrive()
    {
        using (var both = await PutAsync("""{"removeCdrom":true,"cdrom":{"isoPath":null}}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        }

        Assert.True((await VmAsync()).HasCdrom);

        using var response = await PutAsync("""{"removeCdrom":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vm = await VmAsync();
        Assert.Equal((false, 256), (vm.HasCdrom, vm.MemoryMiB));
    }

    private Task<HttpResponseMessage> PutAsync(string json) =>
        _admin.PutAsync($"/api/v1/vms/{_vmId}/hardware", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private async Task<VmRecord> VmAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return await db.Vms.AsNoTracking().Include(v => v.Nics).SingleAsync(v => v.Id == _vmId);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }
}
