using WebVirt.Host.Agent;
using WebVirt.Host.Agent.Configuration;

namespace WebVirt.Web.Hosting;

internal static class EmbeddedAgentRegistration
{
    /// <summary>
    /// Runs the local host's agent inside the panel: the same Host.Agent services as a standalone agent,
    /// given the panel's loopback address and the token <see cref="EmbeddedAgent"/> makes at start.
    /// </summary>
    public static IServiceCollection AddEmbeddedAgent(this IServiceCollection services)
    {
        services.AddSingleton<EmbeddedAgent>();
        services.AddWebVirtAgent();
        services.AddOptions<AgentOptions>().PostConfigure<EmbeddedAgent>((options, embedded) =>
        {
            options.Embedded = true;
            options.PanelUrl = embedded.PanelUrl ?? options.PanelUrl;
            options.Token = embedded.Token ?? options.Token;
        });
        return services;
    }
}
