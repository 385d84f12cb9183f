using System.Collections.Concurrent;

namespace WebVirt.Web.Consoles;

/// <summary>Every console open through this panel, so a page can show who else is connected and an administrator can cut one off.</summary>
internal sealed class ConsoleSessions
{
    private readonly ConcurrentDictionary<Guid, ConsoleSession> _sessions = new();

    /// <summary>Raised with the VM id whenever a console on it opens or closes.</summary>
    public event Action<Guid>? Changed;

    /// <summary>Every open session, in no particular order.</summary>
    public IReadOnlyList<ConsoleSession> All() => [.. _sessions.Values];

    public IReadOnlyList<ConsoleSession> Of(Guid vmId) =>
        [.. _sessions.Values.Where(s => s.VmId == vmId).OrderBy(s => s.StartedAt)];

    public void Add(ConsoleSession session)
    {
        _sessions[session.Id] = session;
        Changed?.Invoke(session.VmId);
    }

    public void Remove(ConsoleSession session)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            Changed?.Invoke(session.VmId);
        }
    }

    /// <summary>Disconnects every console relayed from <paramref name="hostId"/>; returns how many.</summary>
    public int DisconnectHost(Guid hostId, string reason)
    {
        var ended = 0;
        foreach (var session in _sessions.Values.Where(s => s.HostId == hostId))
        {
            session.Disconnect(reason);
            ended++;
        }

        return ended;
    }

    /// <summary>Disconnects one session; false when it already ended.</summary>
    public bool Disconnect(Guid sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return false;
        }

        session.Disconnect();
        return true;
    }
}
