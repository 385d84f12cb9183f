using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace WebVirt.Web.Agents;

/// <summary>Which agent connection serves which host, so commands reach the right one and a revoked host can be cut off.</summary>
internal sealed class AgentRegistry
{
    private readonly ConcurrentDictionary<Guid, HubCallerContext> _byHost = new();

    public bool IsConnected(Guid hostId) => _byHost.ContainsKey(hostId);

    public string? ConnectionOf(Guid hostId) => _byHost.TryGetValue(hostId, out var context) ? context.ConnectionId : null;

    /// <summary>Records the connection; an older connection of the same host is closed (an agent restarted faster than its socket timed out).</summary>
    public void Attach(Guid hostId, HubCallerContext context)
    {
        _byHost.AddOrUpdate(hostId, context, (_, previous) =>
        {
            if (previous.ConnectionId != context.ConnectionId)
            {
                previous.Abort();
            }

            return context;
        });
    }

    /// <summary>Forgets the connection if it is still the host's current one; true when it was.</summary>
    public bool Detach(Guid hostId, string connectionId) =>
        _byHost.TryGetValue(hostId, out var current) && current.ConnectionId == connectionId
        && _byHost.TryRemove(new KeyValuePair<Guid, HubCallerContext>(hostId, current));

    /// <summary>Closes the host's connection at once (its token was revoked).</summary>
    public void Disconnect(Guid hostId)
    {
        if (_byHost.TryRemove(hostId, out var context))
        {
            context.Abort();
        }
    }
}
