using System.Net;

namespace WebVirt.Host.Agent.Configuration;

/// <summary>
/// The panel's port when the agent reaches its panel on this machine (a loopback <see cref="AgentOptions.PanelUrl"/>):
/// no VM may forward that port, or a guest listening there while the panel restarts would get the browsers' cookies.
/// </summary>
internal static class LocalPanelPort
{
    public static int? Of(string? panelUrl) =>
        Uri.TryCreate(panelUrl, UriKind.Absolute, out var url)
        && (url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
            ? url.Port
            : null;
}
