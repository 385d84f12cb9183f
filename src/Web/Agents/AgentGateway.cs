using Microsoft.AspNetCore.SignalR;
using WebVirt.Shared.Agents;

namespace WebVirt.Web.Agents;

/// <summary>
/// Sends commands to a host's agent and turns transport problems (offline, disconnected mid-call, no
/// answer in time) into <see cref="AgentReply"/> failures, so callers handle one kind of result.
/// </summary>
internal sealed class AgentGateway(IHubContext<AgentHub, IAgentClient> hub, AgentRegistry registry)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public bool IsConnected(Guid hostId) => registry.IsConnected(hostId);

    public async Task<AgentReply> SendAsync(Guid hostId, string hostName, Func<IAgentClient, Task<AgentReply>> command, TimeSpan? timeout = null)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Host '{hostName}' is offline: its agent is not connected.");
        }

        try
        {
            return await command(hub.Clients.Client(connectionId)).WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Host '{hostName}' did not answer within {(timeout ?? DefaultTimeout).TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is IOException or HubException or OperationCanceledException)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Lost the connection to host '{hostName}': {ex.Message}");
        }
    }
}
