using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Networking;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Hypervisor;

public static class HypervisorServiceCollectionExtensions
{
    /// <summary>Registers the VM supervisor and the host network plumbing (host namespace); bind <see cref="HypervisorOptions"/> from configuration before or after.</summary>
    public static IServiceCollection AddHypervisor(this IServiceCollection services)
    {
        services.AddOptions<HypervisorOptions>();
        services.TryAddSingleton<VmSupervisor>();
        services.TryAddSingleton<IpCommand>();
        services.TryAddSingleton<BridgeManager>();
        services.TryAddSingleton<TapManager>();
        services.TryAddSingleton<VlanSupport>();
        return services;
    }
}
