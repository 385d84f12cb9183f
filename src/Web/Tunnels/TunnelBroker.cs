using System.Collections.Concurrent;
using System.Net.WebSockets;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Agents;

namespace WebVirt.Web.Tunnels;

/// <summary>
/// Opens agent-dialed tunnels: gives each a random single-use id that expires, asks the host's agent to dial
/// <c>/agent/tunnels/{id}</c>, and hands the dialed WebSocket to the caller. Only the host the tunnel was
/// opened for may dial it, only once, and only in time; anything else is refused before a byte flows.
/// </summary>
internal sealed class TunnelBroker(AgentGateway gateway, TimeProvider time, ILogger<TunnelBroker> logger)
{
    /// <summary>How long an agent has to dial back once asked.</summary>
    public static readonly TimeSpan DialWindow = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, PendingTunnel> _pending = new();

    /// <summary>
    /// Opens a tunnel; the caller owns the socket and must dispose it when done (that ends the agent's request).
    /// Throws <see cref="TunnelException"/> with a reason when the agent refuses or does not dial in time.
    /// </summary>
    public async Task<WebSocket> OpenAsync(Guid hostId, string hostName, TunnelRequest request, CancellationToken cancellationToken)
    {
        var tunnel = new PendingTunnel(hostId, time.GetUtcNow() + DialWindow);
        request = request with { TunnelId = Guid.NewGuid() };
        _pending[request.TunnelId] = tunnel;
        WebSocket? socket = null;
        try
        {
            var reply = await gateway.SendAsync(hostId, hostName, agent => agent.OpenTunnel(request), DialWindow).ConfigureAwait(false);
            if (!reply.Ok)
            {
                // The agent refused the request itself (Invalid), or could not carry it out now (offline, failed dial).
                throw new TunnelException(reply.Error!) { IsTransient = reply.ErrorKind == AgentErrorKind.Failed };
            }

            socket = await tunnel.Socket.WaitAsync(DialWindow, time, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (TimeoutException)
        {
            throw new TunnelException($"Host '{hostName}' did not dial the tunnel back within {DialWindow.TotalSeconds:0} s.") { IsTransient = true };
        }
        finally
        {
            _pending.TryRemove(request.TunnelId, out _);
            if (socket is null)
            {
                tunnel.Abandon();
            }
        }
    }

    /// <summary>Takes the pending tunnel <paramref name="tunnelId"/> for the dialing host, or says why not; an id works once.</summary>
    public PendingTunnel? Claim(Guid tunnelId, Guid dialingHostId, out string? refusal)
    {
        if (!_pending.TryRemove(tunnelId, out var tunnel))
        {
            refusal = "Unknown or already used tunnel id.";
            TunnelLog.Refused(logger, tunnelId, dialingHostId, refusal);
            return null;
        }

        var late = time.GetUtcNow() > tunnel.ExpiresAt;
        refusal = tunnel.HostId != dialingHostId ? "This tunnel was opened for another host."
            : late ? "The tunnel id expired."
            : null;
        if (refusal is not null)
        {
            // A wrong host or a late dial spends the id: the opener hears why, and the id cannot be tried again.
            tunnel.Fail(refusal, transient: late && tunnel.HostId == dialingHostId);
            TunnelLog.Refused(logger, tunnelId, dialingHostId, refusal);
            return null;
        }

        return tunnel;
    }
}
