using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent;
using WebVirt.Host.Agent.Embedded;
using WebVirt.Web.Hosting;

namespace WebVirt.Web.Host;

internal static class EmbeddedAgentRegistration
{
    /// <summary>
    /// With <c>Agent:Embedded</c>, runs the local host's agent inside the panel: the same Host.Agent services as a
    /// standalone agent, given the panel's loopback address and the token <see cref="EmbeddedAgent"/> makes at start.
    /// </summary>
    public static WebApplicationBuilder AddEmbeddedAgentWhenConfigured(this WebApplicationBuilder builder)
    {
        if (!EmbeddedAgent.IsConfigured(builder.Configuration))
        {
            return builder;
        }

        builder.Services.AddWebVirtAgent();
        builder.Services.AddLocalHostBytes();
        builder.Services.AddOptions<AgentOptions>().PostConfigure<EmbeddedAgent>((options, embedded) =>
        {
            options.Embedded = true;
            options.PanelUrl = embedded.PanelUrl ?? options.PanelUrl;
            options.Token = embedded.Token ?? options.Token;
        });
        return builder;
    }
}
