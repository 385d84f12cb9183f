using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent;
using WebVirt.Host.Agent.Embedded;
using WebVirt.Hypervisor.Configuration;
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

        // The panel's Data Protection keys seal every disk key: no pool may be, hold or lie in their folder.
        var panelKeys = Path.Combine(Path.GetFullPath(builder.Configuration["Panel:DataDirectory"] ?? "data"), "keys");
        builder.Services.AddOptions<AgentOptions>().PostConfigure<EmbeddedAgent, IServiceProvider>((options, embedded, services) =>
        {
            options.Embedded = true;
            options.PanelUrl = embedded.PanelUrl ?? options.PanelUrl;
            options.Token = embedded.Token ?? options.Token;
            options.ProtectedFolders.Add(panelKeys);

            // Over HTTPS the agent dials its own panel on loopback: it trusts exactly the panel's certificate.
            options.PanelCertificateSha256 ??= services.GetService<PanelCertificate>()?.Sha256Fingerprint;
        });

        // A VM's port forward must never listen on the panel's own port: a browser would send it the panel's cookies.
        var panelPorts = PanelPorts(builder.Configuration);
        builder.Services.PostConfigure<HypervisorOptions>(options => options.PortForwards.PanelPorts.UnionWith(panelPorts));
        return builder;
    }

    /// <summary>The ports of the panel's configured URLs (<c>Urls</c>, as Kestrel reads them; 5000 when none is set).</summary>
    internal static IReadOnlyList<int> PanelPorts(IConfiguration configuration) =>
        PanelUrls.From(configuration) is { Count: > 0 } urls ? [.. urls.Select(u => u.Port).Where(p => p > 0).Distinct()] : [5000];
}
