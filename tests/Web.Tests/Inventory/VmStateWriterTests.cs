using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Inventory;

/// <summary>
/// The ordered writer of VM state against the real panel (real SQLite, real SignalR) and a stand-in agent that pushes
/// reports while it answers a start, as the real agent does.
/// </summary>
public sealed class VmStateWriterTests : IAsyncLifetime
{
    private readonly VmUpdateCounter _updates = new();
    private readonly PanelFactory _factory;
    private HttpClient _admin = default!;
    private FakeAgent _agent = default!;
    private Guid _vmId;

    public VmStateWriterTests() =>
        _factory = new PanelFactory { TestServices = services => services.ConfigureDbContext<WebVirtDbContext>(builder => builder.AddInterceptors(_updates)) };

    public async Task InitializeAsync()
    {
        _admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(_admin, "node1");
        _agent = new FakeAgent(_factory, host.Token);
        await _agent.ConnectAsync();
        Assert.True((await _agent.RegisterAsync()).Accepted);
        _vmId = await PanelClients.CreateVmAsync(_admin, new { name = "vm1", memoryMiB = 256 });
    }

    [Fact]
    public async Task Start_ReplyOlderThanAPushedCrash_TheVmShowsTheCrash()
    {
        // The VM crashed right after starting: the agent pushed the crash (11) before the panel read the start's reply (10).
        _agent.StartSequence = 10;
        _agent.Starting = report => _agent.PushAsync(report with
        {
            State = VmPowerState.Crashed,
            QemuStatus = "stopped",
            LastExit = "QEMU was killed by signal 9",
            Sequence = 11,
        });

        using var response = await _admin.PostAsync($"/api/v1/vms/{_vmId}/start", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vm = await VmAsync();
        Assert.Equal((VmPowerState.Crashed, "QEMU was killed by signal 9", 11L), (vm.ActualState, vm.LastExit, vm.ReportSequence));
        Assert.Equal(VmPowerState.Running, vm.DesiredState);
        Assert.NotNull(vm.StateMismatch);
    }

    [Fact]
    public async Task Start_PushedStateAndTheSameInTheReply_OneSaveAndOneChangeEvent()
    {
        _agent.StartSequence = 20;
        _agent.Starting = _agent.PushAsync;
        var events = 0;
        void Count(Guid id)
        {
            if (id == _vmId)
            {
                Interlocked.Increment(ref events);
            }
        }

        var notifier = _factory.Services.GetRequiredService<InventoryNotifier>();
        notifier.VmChanged += Count;
        _updates.Reset();
        try
        {
            using var response = await _admin.PostAsync($"/api/v1/vms/{_vmId}/start", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            notifier.VmChanged -= Count;
        }

        Assert.Equal((1, 1), (_updates.Count, Volatile.Read(ref events)));
        var vm = await VmAsync();
        Assert.Equal((VmPowerState.Running, VmPowerState.Running, 20L), (vm.ActualState, vm.DesiredState, vm.ReportSequence));
    }

    [Fact]
    public async Task Register_ListOlderThanTheStateHeld_KeepsTheState()
    {
        await _agent.PushAsync(new VmReport { Uuid = _vmId, Name = "vm1", State = VmPowerState.Running, QemuStatus = "running", Sequence = 30 });

        Assert.True((await _agent.RegisterAsync(vms: [new VmReport { Uuid = _vmId, Name = "vm1", State = VmPowerState.Stopped, QemuStatus = "stopped", Sequence = 29 }])).Accepted);

        Assert.Equal((VmPowerState.Running, 30L), ((await VmAsync()).ActualState, (await VmAsync()).ReportSequence));
    }

    [Fact]
    public async Task Push_UnorderedAgent_AppliesEveryReportAsItArrives()
    {
        await _agent.PushAsync(new VmReport { Uuid = _vmId, Name = "vm1", State = VmPowerState.Running, QemuStatus = "running" });
        await _agent.PushAsync(new VmReport { Uuid = _vmId, Name = "vm1", State = VmPowerState.Stopped, QemuStatus = "stopped" });

        Assert.Equal(VmPowerState.Stopped, (await VmAsync()).ActualState);
    }

    private async Task<VmRecord> VmAsync()
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return await db.Vms.AsNoTracking().SingleAsync(v => v.Id == _vmId);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }
}
