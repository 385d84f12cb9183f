using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Vms;

internal sealed partial class VmHost
{
    // Replaced by the tunnel dialer (consoles issue); until then the panel gets a clear refusal.
    public Task<AgentReply> OpenTunnel(TunnelRequest request) =>
        Task.FromResult(AgentReply.Failure(AgentErrorKind.Failed, "This agent cannot open tunnels yet."));
}
