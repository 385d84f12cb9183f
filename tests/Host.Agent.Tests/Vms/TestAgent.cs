using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>
/// One agent instance over a test's folders, its services built by the same DI registrations the agent uses
/// (<c>AddAgentServices</c>), without the panel connection. Tests send commands through <see cref="Commands"/>, the
/// one implementation of <see cref="IAgentClient"/>, and read state as the panel connection does.
/// </summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly VmSupervisor _supervisor;

    public TestAgent(VmSupervisor supervisor, AgentOptions agent, HypervisorOptions hypervisor, ILoggerFactory loggerFactory)
    {
        _supervisor = supervisor;
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddSingleton(Options.Create(agent));
        services.AddSingleton(Options.Create(hypervisor));
        services.AddSingleton(supervisor);
        services.AddAgentServices();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Commands = _services.GetRequiredService<AgentCommands>();
        Host = _services.GetRequiredService<VmHost>();
        Registry = _services.GetRequiredService<VmRegistry>();
        Transfers = _services.GetRequiredService<PoolTransfers>();
    }

    /// <summary>The panel's commands, as the hub handlers reach them.</summary>
    public IAgentClient Commands { get; }

    public VmHost Host { get; }

    public VmRegistry Registry { get; }

    public PoolTransfers Transfers { get; }

    /// <summary>How long a detach waits for the guest to release the disk.</summary>
    public TimeSpan DiskUnplugTimeout
    {
        get => _services.GetRequiredService<DiskAttachments>().DiskUnplugTimeout;
        set => _services.GetRequiredService<DiskAttachments>().DiskUnplugTimeout = value;
    }

    public ChannelReader<TaskProgress> TaskProgress => Host.TaskProgress;

    public Task InitializeAsync() => Host.InitializeAsync();

    public Task AutostartAsync() => Host.AutostartAsync();

    public VmPaths PathsFor(Guid uuid) => _supervisor.PathsFor(uuid);

    public IReadOnlyList<VmReport> Reports() => Host.Reports();

    public VmReport? Report(Guid uuid) => Registry.Report(uuid);

    public VmReportSubscription SubscribeReports() => Host.SubscribeReports();

    public VmProcess? RunningProcess(Guid uuid) => Registry.RunningProcess(uuid);

    /// <summary>Lets go of the VMs (they keep running), as the agent does at stop.</summary>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _services.DisposeAsync();
    }
}
