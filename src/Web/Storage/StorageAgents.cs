using Microsoft.AspNetCore.SignalR;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Web.Agents;

namespace WebVirt.Web.Storage;

/// <summary>
/// The storage calls whose answers carry more than an <see cref="AgentReply"/>, with the same treatment of
/// transport problems as <see cref="AgentGateway"/>: an offline host or a lost call becomes a failed reply.
/// </summary>
internal sealed class StorageAgents(IHubContext<AgentHub, IAgentClient> hub, AgentRegistry registry)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<PoolListReply?> ListPoolsAsync(Guid hostId, string hostName) =>
        await CallAsync(hostId, hostName, agent => agent.ListPools(), error => new PoolListReply(error, []));

    public Task<PoolContentReply> ListPoolContentAsync(Guid hostId, string hostName, string poolPath) =>
        CallAsync(hostId, hostName, agent => agent.ListPoolContent(poolPath), error => new PoolContentReply(error, []));

    public Task<UploadStatusReply> GetUploadStatusAsync(Guid hostId, string hostName, string poolPath, string fileName) =>
        CallAsync(hostId, hostName, agent => agent.GetUploadStatus(poolPath, fileName), error => new UploadStatusReply(error, 0));

    public Task<DownloadStatusReply> GetDownloadAsync(Guid hostId, string hostName, Guid transferId) =>
        CallAsync(hostId, hostName, agent => agent.GetDownload(transferId), error => new DownloadStatusReply(error, null));

    private async Task<T> CallAsync<T>(Guid hostId, string hostName, Func<IAgentClient, Task<T>> call, Func<AgentReply, T> failed)
    {
        if (registry.ConnectionOf(hostId) is not { } connectionId)
        {
            return failed(AgentReply.Failure(AgentErrorKind.Failed, $"Host '{hostName}' is offline: its agent is not connected."));
        }

        try
        {
            return await call(hub.Clients.Client(connectionId)).WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            return failed(AgentReply.Failure(AgentErrorKind.Failed, $"Host '{hostName}' did not answer within {Timeout.TotalSeconds:0} s."));
        }
        catch (Exception ex) when (ex is IOException or HubException or OperationCanceledException)
        {
            return failed(AgentReply.Failure(AgentErrorKind.Failed, $"Lost the connection to host '{hostName}': {ex.Message}"));
        }
    }
}
