using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;

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
        services.AddOptions<HypervisorOptions>().BindConfiguration(HypervisorOptions.SectionName);
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.AddOptions<PanelConnectionOptions>();
        services.TryAddSingleton<QemuImg>();
        services.TryAddSingleton<VmHost>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, UploadTunnelEndpoint>());
        services.TryAddSingleton<SerialConsoles>();
        services.TryAddSingleton<TunnelDialer>();
        services.TryAddSingleton<AgentCommands>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, VncTunnelEndpoint>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITunnelEndpoint, SerialTunnelEndpoint>());

        // In this order: the VMs are attached before the connection reports them; at stop the connection goes first.
        services.AddHostedService<VmHostService>();
        services.AddHostedService<PanelConnection>();
        return services;
    }
}
