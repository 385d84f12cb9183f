using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Embedded;

public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// For a panel that embeds the agent (after <see cref="AgentServiceCollectionExtensions.AddWebVirtAgent"/>): lets the
    /// panel reach this host's consoles and pools in-process, through <see cref="ILocalHostBytes"/>.
    /// </summary>
    public static IServiceCollection AddLocalHostBytes(this IServiceCollection services)
    {
        services.TryAddSingleton<ILocalHostBytes, LocalHostBytes>();
        return services;
    }
}
