using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>The agent against a minimal in-process panel over real loopback WebSockets.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class PanelConnectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly FakePanelState _panelState = new();
    private AgentTestFolders _folders = null!;
    private FakePanel _panel = null!;
    private IHost? _agent;

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        _panel = await FakePanel.StartAsync(_panelState);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
            _agent.Dispose();
        }

        await _panel.DisposeAsync();
        await _folders.DisposeAsync();
    }

    [Fact]
    public async Task Connect_RegistersWithProtocolVersionFactsAndStoredVms()
    {
        var definition = _folders.Definition("stored", withDisk: false);
        await using (var before = await _folders.StartHostAsync())
        {
            Assert.True((await before.Commands.DefineVm(definition, [])).Ok);
        }

        await StartAgentAsync();
        var (_, hello) = await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(1, hello.ProtocolVersion);
        Assert.Equal(AgentProtocol.Version, hello.ProtocolVersion);
        Assert.Equal(Accelerator.Tcg, hello.Facts.Accelerator);
        Assert.StartsWith("7.", hello.Facts.QemuVersion, StringComparison.Ordinal);
        Assert.Equal(_folders.Pool, hello.Facts.ImagePool);
        Assert.True(hello.Facts.CpuThreads >= 1);
        Assert.True(hello.Facts.MemoryBytes > 0);
        Assert.True(hello.Facts.StorageTotalBytes >= hello.Facts.StorageFreeBytes && hello.Facts.StorageFreeBytes > 0);
        Assert.False(string.IsNullOrWhiteSpace(hello.Facts.AgentVersion));
        var vm = Assert.Single(hello.Vms);
        Assert.Equal((definition.Uuid, "stored", VmPowerState.Stopped), (vm.Uuid, vm.Name, vm.State));
    }

    [Fact]
    public async Task DefineVm_InvokedByThePanel_ReachesTheVmHost()
    {
        await StartAgentAsync();
        var (connectionId, _) = await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var definition = _folders.Definition("remote");

        var reply = await _panel.Agent(connectionId).DefineVm(definition, AgentTestFolders.NewDisks(definition)).WaitAsync(Patience);
        var refused = await _panel.Agent(connectionId).DefineVm(definition with { Uuid = Guid.NewGuid() }, []).WaitAsync(Patience);

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal("remote", reply.Vm!.Name);
        Assert.True(File.Exists(definition.Disks[0].Path));
        Assert.True(File.Exists(_folders.Supervisor.PathsFor(definition.Uuid).DefinitionFile));
        Assert.Equal(AgentErrorKind.Invalid, refused.ErrorKind);
        Assert.Contains("already used", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAndStop_InvokedByThePanel_PushStateReports()
    {
        await StartAgentAsync();
        var (connectionId, _) = await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var definition = _folders.Definition("pushed", withDisk: false);
        Assert.True((await _panel.Agent(connectionId).DefineVm(definition, [])).Ok);

        var started = await _panel.Agent(connectionId).StartVm(definition.Uuid).WaitAsync(Patience);
        var stopped = await _panel.Agent(connectionId).StopVm(definition.Uuid).WaitAsync(Patience);

        Assert.True(started.Ok, started.Error);
        Assert.True(stopped.Ok, stopped.Error);
        var reports = new List<VmReport>();
        while (reports.Count == 0 || reports[^1].State != VmPowerState.Stopped)
        {
            reports.Add(await _panelState.Reports.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        }

        Assert.Equal(
            [(VmPowerState.Starting, "starting"), (VmPowerState.Running, "started")],
            reports.Take(2).Select(r => (r.State, r.Reason!)));
        Assert.Equal("stopped", reports[^1].Reason);
        Assert.All(reports, r => Assert.Equal(definition.Uuid, r.Uuid));
    }

    [Fact]
    public async Task PanelRestart_AgentReconnectsAndRegistersAgain()
    {
        await StartAgentAsync();
        await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var port = _panel.Port;

        await _panel.DisposeAsync();
        _panel = await FakePanel.StartAsync(_panelState, port);

        var (connectionId, hello) = await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(AgentProtocol.Version, hello.ProtocolVersion);
        var reply = await _panel.Agent(connectionId).StartVm(Guid.NewGuid()).WaitAsync(Patience);
        Assert.Equal(AgentErrorKind.NotFound, reply.ErrorKind);
    }

    [Fact]
    public async Task Welcome_NotAccepted_StopsRetrying()
    {
        _panelState.Welcome = hello => new AgentWelcome(false, $"this panel speaks protocol 2, the agent {hello.ProtocolVersion}", Guid.Empty);

        await StartAgentAsync();
        await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var connection = _agent!.Services.GetServices<IHostedService>().OfType<PanelConnection>().Single();
        await connection.ExecuteTask!.WaitAsync(Patience);

        // Retries run every 100-200 ms here; a second of silence means none is coming.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(_panelState.Registrations.Reader.TryRead(out _), "the agent registered again after being refused");
    }

    [Fact]
    public async Task Token_Refused_KeepsRetryingUntilItIsAccepted()
    {
        _panelState.RefuseTokenTimes = 3;

        await StartAgentAsync();
        var (_, hello) = await _panelState.Registrations.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(3, _panelState.Unauthorized);
        Assert.Equal(AgentProtocol.Version, hello.ProtocolVersion);
    }

    private async Task StartAgentAsync()
    {
        _agent = AgentProcess.Build(_folders, output, new Dictionary<string, string?>
        {
            ["Agent:PanelUrl"] = _panel.Url,
            ["Agent:Token"] = _panelState.Token,
        });
        await _agent.StartAsync();
    }
}
