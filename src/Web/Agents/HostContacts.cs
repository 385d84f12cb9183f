using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Agents;

/// <summary>
/// When each host's agent was last heard from, kept in memory (a database write per agent message would cost more than
/// the message). While the agent is connected SignalR's keep-alive proves contact within the client timeout, so it is
/// "online now"; what is written is the moment contact ended, when the connection goes.
/// </summary>
internal sealed class HostContacts(TimeProvider time, IOptions<HubOptions> hubOptions)
{
    // SignalR's default when the option is left unset.
    private static readonly TimeSpan DefaultClientTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastMessage = new();

    /// <summary>The agent of <paramref name="hostId"/> sent something.</summary>
    public void Heard(Guid hostId) => _lastMessage[hostId] = time.GetUtcNow();

    /// <summary>
    /// When the host was last heard from, given how its connection ended. A clean close is contact itself. A broken one
    /// (timeout, reset) was heard at least until the client timeout before now, for keep-alives arrive well within it,
    /// and at least at its last message: the later of the two, never the moment the panel noticed.
    /// </summary>
    public DateTimeOffset LastContact(Guid hostId, bool closedCleanly)
    {
        var now = time.GetUtcNow();
        var lastMessage = _lastMessage.TryRemove(hostId, out var heard) ? heard : DateTimeOffset.MinValue;
        if (closedCleanly)
        {
            return now;
        }

        var sure = now - (hubOptions.Value.ClientTimeoutInterval ?? DefaultClientTimeout);
        return lastMessage > sure ? lastMessage : sure;
    }
}
