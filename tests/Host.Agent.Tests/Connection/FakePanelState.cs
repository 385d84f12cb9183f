using System.Threading.Channels;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>What the fake panel answers and what it heard; outlives a panel restart.</summary>
internal sealed class FakePanelState
{
    private int _unauthorized;

    public string Token { get; set; } = "host-token";

    /// <summary>After this many refused attempts the token is accepted, as if an administrator fixed it.</summary>
    public int RefuseTokenTimes { get; set; }

    public Func<AgentHello, AgentWelcome> Welcome { get; set; } = _ => new AgentWelcome(true, "welcome", Guid.NewGuid());

    public Channel<(string ConnectionId, AgentHello Hello)> Registrations { get; } = Channel.CreateUnbounded<(string, AgentHello)>();

    public Channel<VmReport> Reports { get; } = Channel.CreateUnbounded<VmReport>();

    public int Unauthorized => Volatile.Read(ref _unauthorized);

    public string AcceptedToken() => Unauthorized < RefuseTokenTimes ? $"refuse-{Token}" : Token;

    public void CountUnauthorized() => Interlocked.Increment(ref _unauthorized);
}
