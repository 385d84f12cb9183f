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

    /// <summary>A read-only call with a result of its own; transport problems throw <see cref="AgentUnavailableException"/> saying what happened.</summary>
    public async Task<T> QueryAsync<T>(Guid hostId, Func<IAgentClient, Task<T>> query, TimeSpan timeout)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId)
        {
            throw new AgentUnavailableException("The host is offline: its agent is not connected.");
        }

        try
        {
            return await query(hub.Clients.Client(connectionId)).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new AgentUnavailableException($"The host did not answer within {timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is IOException or HubException or OperationCanceledException)
        {
            throw new AgentUnavailableException($"Lost the connection to the host: {ex.Message}");
        }
    }
}
