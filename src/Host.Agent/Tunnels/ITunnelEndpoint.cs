using System.Net.WebSockets;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>The agent's end of one kind of tunnel: what it relays a connected tunnel WebSocket to.</summary>
internal interface ITunnelEndpoint
{
    TunnelKind Kind { get; }

    /// <summary>Checks the request before the agent dials (so a bad request is refused with a reason and nothing is opened).</summary>
    Task<string?> ValidateAsync(TunnelRequest request, CancellationToken cancellationToken);

    /// <summary>Relays until either side closes; the caller owns and disposes <paramref name="socket"/>.</summary>
    Task RunAsync(TunnelRequest request, WebSocket socket, CancellationToken cancellationToken);
}
