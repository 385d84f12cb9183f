using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>
/// PATCH /api/v1/vms/{id} (options) and PUT …/hardware against the real panel with a stand-in agent on a real
/// SignalR connection: what reaches the host, what stays in the panel, what waits for the next start.
/// </summary>
public sealed class VmOptionsApiTests : IAsyncLifetime
{
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
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        using var created = await _admin.PostAsJsonAsync("/api/v1/vms", new { name = "vm1", memoryMiB = 256, cdromIsoPath = "/srv/iso/guest.iso" });
        created.EnsureSuccessStatusCode();
        _vmId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
        _agent.Calls.Clear();
    }

    [Fact]
    public async Task Options_AreSaved_StartOptionsReachTheHost_DescriptionAndTagsStayInThePanel()
    {
        using var response = await _admin.PatchAsJsonAsync($"/api/v1/vms/{_vmId}", new
        {
            description = "# Web\n**prod** box",
            tags = new[] { "Web", "prod", "web" },
            autostart = true,
            startOrder = 3,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["start-options vm1 True 3"], _agent.Calls);
        var vm = await VmAsync();
        Assert.Equal(["web", "prod"], vm.Tags);
        Assert.Equal("# Web\n**prod** box", vm.Description);
        Assert.True(vm.Autostart);
        Assert.Equal(3, vm.StartOrder);
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.Contains(await db.AuditEntries.Where(a => a.Action == "vm.options").Select(a => a.Details).ToListAsync(), d => d!.Contains("tags [web, prod]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"tags":["bad tag"]}""", "tags:")]
    [InlineData("""{"tags":["<script>"]}""", "tags:")]
    [InlineData("""{"name":"bad name"}""", "name:")]
    [InlineData("""{"name":"-daemonize"}""", "name:")]
    [InlineData("""{"startOrder":-1}""", "startOrder:")]
    [InlineData("""{"startOrder":10000}""", "startOrder:")]
    public async Task Options_BadInput_Is400AndChangesNothing(string json, string expected)
    {
        using var response = await _admin.PatchAsync($"/api/v1/vms/{_vmId}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_agent.Calls);
        var vm = await VmAsync();
        Assert.Equal("vm1", vm.Name);
        Assert.Empty(vm.Tags);
        Assert.Equal(0, vm.StartOrder);
    }

    [Fact]
    public async Task Rename_StoppedVm_RedefinesOnTheHost_RunningVm_IsAConflict()
    {
        using (var renamed = await _admin.PatchAsJsonAsync($"/api/v1/vms/{_vmId}", new { name = "vm1-renamed" }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        Assert.Equal(["define vm1-renamed"], _agent.Calls);
        Assert.Equal("vm1-renamed", (await VmAsync()).Name);

        await SetStateAsync(VmPowerState.Running);
        using var refused = await _admin.PatchAsJsonAsync($"/api/v1/vms/{_vmId}", new { name = "vm1-again" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("stop it before renaming it", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("vm1-renamed", (await VmAsync()).Name);
    }

    [Fact]
    public async Task Hardware_StoppedVm_AppliesAtOnce()
    {
        using var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/hardware", Hardware(memoryMiB: 512, cores: 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["define vm1"], _agent.Calls);
        Assert.Equal(512, _agent.Defined[^1].MemoryMiB);
        var vm = await VmAsync();
        Assert.Equal(512, vm.MemoryMiB);
        Assert.Equal(2, vm.Cores);
        Assert.Null(vm.PendingDefinition);
    }

    [Fact]
    public async Task Hardware_RunningVm_IsPending_ThenAppliedBeforeTheNextStart()
    {
        await SetStateAsync(VmPowerState.Running);

        using (var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/hardware", Hardware(memoryMiB: 512, cores: 2)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("apply at its next start", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(_agent.Calls);
        var pending = await VmAsync();
        Assert.Equal(256, pending.MemoryMiB);
        Assert.Equal(512, pending.PendingDefinition!.MemoryMiB);
        var api = JsonDocument.Parse(await _admin.GetStringAsync($"/api/v1/vms/{_vmId}")).RootElement;
        Assert.Equal(512, api.GetProperty("pendingDefinition").GetProperty("memoryMiB").GetInt32());

        await SetStateAsync(VmPowerState.Stopped);
        using (var start = await _admin.PostAsync($"/api/v1/vms/{_vmId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        Assert.Equal(["define vm1", "start vm1"], _agent.Calls);
        Assert.Equal(512, _agent.Defined[^1].MemoryMiB);
        var applied = await VmAsync();
        Assert.Equal(512, applied.MemoryMiB);
        Assert.Equal(2, applied.Cores);
        Assert.Null(applied.PendingDefinition);
        Assert.Equal(VmPowerState.Running, applied.ActualState);
    }

    [Fact]
    public async Task Hardware_BadInput_Is400AndChangesNothing()
    {
        using var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/hardware", Hardware(memoryMiB: 4, cores: 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("memoryMiB:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_agent.Calls);
        var vm = await VmAsync();
        Assert.Equal(256, vm.MemoryMiB);
        Assert.Null(vm.PendingDefinition);
    }

    [Fact]
    public async Task Hardware_MoreMemoryThanTheHostHas_Is400NamingTheHostsMemory_AndChangesNothing()
    {
        using var response = await _admin.PutAsJsonAsync($"/api/v1/vms/{_vmId}/hardware", Hardware(memoryMiB: 16 * 1024, cores: 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("is more than the 8 GiB of physical memory of host 'node1'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_agent.Calls);
        Assert.Equal(256, (await VmAsync()).MemoryMiB);
    }

    [Fact]
    public async Task Create_MoreMemoryThanTheHostHas_Is400NamingTheHostsMemory_AndCreatesNothing()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/vms", new { name = "huge", memoryMiB = 1024 * 1024 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("memoryMiB: 1048576 MiB (1 TiB) is more than the 8 GiB of physical memory of host 'node1': the VM could never start there", detail);
        Assert.Empty(_agent.Calls);
        await using var db = await Contexts().CreateDbContextAsync();
        Assert.False(await db.Vms.AnyAsync(v => v.Name == "huge"));
    }

    [Fact]
    public async Task Create_AllTheHostsMemory_IsAllowed_OnlyMoreIsRefused()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/vms", new { name = "most", memoryMiB = 8 * 1024 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private object Hardware(int memoryMiB, int cores) => new
    {
        cpu = new { sockets = 1, cores, threads = 1 },
        memoryMiB,
        cdrom = new { isoPath = "/srv/iso/guest.iso", bootOrder = 1 },
        nics = new[] { new { id = "net0", model = "Virtio", mode = "User" } },
    };

    private async Task<VmRecord> VmAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync();
        return await db.Vms.AsNoTracking().SingleAsync(v => v.Id == _vmId);
    }

    private async Task SetStateAsync(VmPowerState state)
    {
        await using var db = await Contexts().CreateDbContextAsync();
        await db.Vms.Where(v => v.Id == _vmId).ExecuteUpdateAsync(s => s.SetProperty(v => v.ActualState, state).SetProperty(v => v.DesiredState, state));
    }

    private IDbContextFactory<WebVirtDbContext> Contexts() => _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        _factory.Dispose();
    }
}
