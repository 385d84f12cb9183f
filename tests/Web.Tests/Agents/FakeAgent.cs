using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;
using WebVirt.Shared.Vms;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Agents;

/// <summary>
/// A stand-in agent on a real SignalR connection to the in-process panel, for testing the hub's rules
/// (tokens, protocol versions, revocation). The real agent is tested end to end elsewhere.
/// </summary>
internal sealed partial class FakeAgent : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeAgent(PanelFactory factory, string token)
        : this(new Uri(factory.Server.BaseAddress, AgentProtocol.HubPath), token, options =>
        {
            options.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
        })
    {
    }

    /// <summary>Connects to a panel listening on a real socket at <paramref name="panel"/>.</summary>
    public FakeAgent(Uri panel, string token)
        : this(new Uri(panel, AgentProtocol.HubPath), token, options => options.Transports = HttpTransportType.WebSockets)
    {
    }

    private FakeAgent(Uri hub, string token, Action<HttpConnectionOptions> transport)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                transport(options);
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        _connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        _connection.On<VmDefinition, IReadOnlyList<NewDisk>, AgentReply>(nameof(IAgentClient.DefineVm), (definition, _) =>
        {
            Defined.Add(definition);
            Calls.Add($"define {definition.Name}");
            return AgentReply.Success(new VmReport { Uuid = definition.Uuid, Name = definition.Name, State = VmPowerState.Stopped, QemuStatus = "stopped" });
        });
        _connection.On<Guid, AgentReply>(nameof(IAgentClient.StartVm), async uuid =>
        {
            Started.Add(uuid);
            Calls.Add($"start {NameOf(uuid)}");
            var name = Defined.FirstOrDefault(d => d.Uuid == uuid)?.Name ?? "vm";
            var report = new VmReport { Uuid = uuid, Name = name, State = VmPowerState.Running, QemuStatus = "running", Sequence = StartSequence };
            if (Starting is { } starting)
            {
                await starting(report);
            }

            return AgentReply.Success(report);
        });
    }

    /// <summary>The sequence the report of the next start carries (0 = unordered, as an agent before sequences).</summary>
    public long StartSequence { get; set; }

    /// <summary>Awaited inside StartVm with the report its reply will carry, before it answers (to push reports first).</summary>
    public Func<VmReport, Task>? Starting { get; set; }

    /// <summary>Pushes a VM's state as the agent does when it sees a change; returns once the panel has handled it.</summary>
    public Task PushAsync(VmReport report) => _connection.InvokeAsync(nameof(IAgentHub.ReportVmState), report);

    private string NameOf(Guid uuid) => Defined.LastOrDefault(d => d.Uuid == uuid)?.Name ?? uuid.ToString();

    public List<VmDefinition> Defined { get; } = [];

    public List<Guid> Started { get; } = [];

    /// <summary>Also answers start-option calls, recording them (start is always answered).</summary>
    public void HandlePowerAndOptions()
    {
        _connection.On<Guid, bool, int, AgentReply>(nameof(IAgentClient.SetStartOptions), (uuid, autostart, order) =>
        {
            Calls.Add($"start-options {NameOf(uuid)} {autostart} {order}");
            return AgentReply.Success();
        });
    }

    /// <summary>Every call the panel made, in order: "define vm1", "start-options vm1 True 3", "start vm1".</summary>
    public List<string> Calls { get; } = [];
    /// <summary>Answers the panel's OpenTunnel requests with <paramref name="handler"/>.</summary>
    public void OnOpenTunnel(Func<TunnelRequest, Task<AgentReply>> handler) =>
        _connection.On(nameof(IAgentClient.OpenTunnel), handler);

    /// <summary>Answers the panel's BackupVm calls with <paramref name="handler"/>.</summary>
    public void OnBackup(Func<WebVirt.Shared.Backups.BackupRequest, AgentReply> handler) =>
        _connection.On(nameof(IAgentClient.BackupVm), handler);

    /// <summary>Answers the panel's TakeSnapshot and ListSnapshots calls with these handlers.</summary>
    public void OnSnapshots(Func<WebVirt.Shared.Snapshots.SnapshotRequest, AgentReply> take, Func<Guid, WebVirt.Shared.Snapshots.SnapshotListReply> list)
    {
        _connection.On(nameof(IAgentClient.TakeSnapshot), take);
        _connection.On(nameof(IAgentClient.ListSnapshots), list);
    }

    /// <summary>Answers the panel's ListPools calls with <paramref name="handler"/>.</summary>
    public void OnListPools(Func<PoolListReply> handler) =>
        _connection.On(nameof(IAgentClient.ListPools), handler);

    /// <summary>Answers the panel's StartDownload and GetDownload calls with these handlers.</summary>
    public void OnDownloads(Func<DownloadRequest, AgentReply> start, Func<Guid, DownloadStatusReply> status)
    {
        _connection.On(nameof(IAgentClient.StartDownload), start);
        _connection.On(nameof(IAgentClient.GetDownload), status);
    }

    public Task<Exception?> Closed => _closed.Task;

    public Task ConnectAsync() => _connection.StartAsync();

    public Task<AgentWelcome> RegisterAsync(int protocolVersion = AgentProtocol.Version, IReadOnlyList<VmReport>? vms = null) =>
        _connection.InvokeAsync<AgentWelcome>(nameof(IAgentHub.Register), new AgentHello(protocolVersion, Facts, vms ?? []));

    public static HostFacts Facts { get; } = new()
    {
        Hostname = "fake-node",
        CpuModel = "Test CPU",
        CpuThreads = 4,
        MemoryBytes = 8L << 30,
        Accelerator = Accelerator.Tcg,
        AcceleratorReason = "Software emulation (TCG): test",
        QemuVersion = "7.2.22",
        AgentVersion = "test",
        ImagePool = "/var/lib/webvirt/images",
        StorageTotalBytes = 100L << 30,
        StorageFreeBytes = 50L << 30,
    };

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
