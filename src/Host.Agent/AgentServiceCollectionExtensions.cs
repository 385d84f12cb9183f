using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Backups;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Hosts;
using WebVirt.Host.Agent.Snapshots;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Templates;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Host.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the host agent: the VM host (re-attaches to running VMs at start, lets go of them at stop)
    /// and the connection that dials out to the panel. Binds the <c>Agent</c> and <c>Hypervisor</c>
    /// configuration sections; the panel that embeds the agent sets <see cref="AgentOptions.Embedded"/> and may
    /// supply <see cref="AgentOptions.PanelUrl"/> and <see cref="AgentOptions.Token"/> in code (PostConfigure).
    /// </summary>
    public static IServiceCollection AddWebVirtAgent(this IServiceCollection services)
    {
        services.AddHypervisor();
        services.AddOptions<HypervisorOptions>().BindConfiguration(HypervisorOptions.SectionName)
            .PostConfigure<IOptions<AgentOptions>>((hypervisor, agent) =>
            {
                if (LocalPanelPort.Of(agent.Value.PanelUrl) is { } port)
                {
                    hypervisor.PortForwards.PanelPorts.Add(port);
                }
            });
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<AgentOptions>, AgentTokenFile>());
        services.AddOptions<PanelConnectionOptions>();
        services.AddAgentServices();

        // In this order: the VMs are attached before the connection reports them; at stop the connection goes first.
        services.AddHostedService<BackupPartialCleanup>();
        services.AddHostedService<VmHostService>();
        services.AddHostedService<PanelConnection>();
        return services;
    }

    /// <summary>
    /// The agent's services without its configuration binding and hosted services: the VM registry, the feature
    /// services behind <see cref="AgentCommands"/>, storage and tunnels. Expects <see cref="AgentOptions"/>,
    /// <see cref="HypervisorOptions"/>, a <see cref="VmSupervisor"/> and logging to be registered.
    /// </summary>
    internal static IServiceCollection AddAgentServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // qemu-img parses untrusted images as an unprivileged account, the one VmSupervisor sets aside for it.
        services.TryAddSingleton(sp => new QemuImg(
            new QemuImgOptions { UntrustedAccount = sp.GetRequiredService<VmSupervisor>().ImageCheckAccount() },
            sp.GetRequiredService<ILogger<QemuImg>>()));
        services.TryAddSingleton<ReportSequence>();
        services.TryAddSingleton<VmRegistry>();
        services.TryAddSingleton<VmWatcher>();
        services.TryAddSingleton(sp => new ImagePool(sp.GetRequiredService<IOptions<AgentOptions>>().Value.ImageDirectory));
        services.TryAddSingleton(sp => new VmDefinitionStore(sp.GetRequiredService<VmSupervisor>(), sp.GetRequiredService<ILogger<VmDefinitionStore>>()));
        services.TryAddSingleton(sp => new HostFactsReader(
            sp.GetRequiredService<VmSupervisor>(),
            sp.GetRequiredService<IOptions<HypervisorOptions>>().Value.QemuBinary,
            sp.GetRequiredService<ImagePool>().Root,
            sp.GetRequiredService<ILogger<HostFactsReader>>()));

        // Until storage pools say otherwise, backups live in the image pool's "backups" folder.
        services.TryAddSingleton(sp => new BackupStore(Path.Combine(sp.GetRequiredService<ImagePool>().Root, "backups")));
        services.TryAddSingleton(sp => AgentPoolRoots.From(sp.GetRequiredService<IOptions<AgentOptions>>().Value, sp.GetRequiredService<VmSupervisor>()));
        services.TryAddSingleton(sp =>
        {
            var agent = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new PoolRegistry(agent.ImageDirectory, agent.PoolListFile, sp.GetRequiredService<PoolRoots>(), sp.GetRequiredService<ILogger<PoolRegistry>>());
        });
        services.TryAddSingleton<DiskPlacement>();
        services.TryAddSingleton(sp => new PoolTransfers(sp.GetRequiredService<PoolRegistry>(), sp.GetRequiredService<QemuImg>(), sp.GetRequiredService<VmSupervisor>(), sp.GetRequiredService<ILogger<PoolTransfers>>()));
        services.TryAddSingleton(sp =>
        {
            var downloads = sp.GetRequiredService<IOptions<AgentOptions>>().Value.Downloads;
            return new PoolDownloads(sp.GetRequiredService<PoolTransfers>(), DownloadHttp.CreateClient(downloads), downloads, sp.GetRequiredService<ILogger<PoolDownloads>>());
        });
        services.TryAddSingleton<PoolIsos>();
        services.TryAddSingleton<ImageUsers>();
        services.TryAddSingleton<DiskKeyRing>();
        services.TryAddSingleton<UefiVars>();

        // The feature services, each answering its part of the panel's commands.
        services.TryAddSingleton<VmDefinitions>();
        services.TryAddSingleton<VmPower>();
        services.TryAddSingleton<VmCdrom>();
        services.TryAddSingleton<VmSnapshots>();
        services.TryAddSingleton<VmClones>();
        services.TryAddSingleton<VmBackups>();
        services.TryAddSingleton<DiskAttachments>();
        services.TryAddSingleton<DiskSizes>();
        services.TryAddSingleton<DiskMoves>();
        services.TryAddSingleton<DiskLimits>();
        services.TryAddSingleton<StoragePools>();
        services.TryAddSingleton<VmHost>();

        services.TryAddSingleton<ConsoleLocator>();
        services.TryAddSingleton<SerialConsoles>();
        services.TryAddSingleton<TunnelDialer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, UploadTunnelEndpoint>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, VncTunnelEndpoint>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, SerialTunnelEndpoint>());
        services.TryAddSingleton<AgentCommands>();
        return services;
    }
}
