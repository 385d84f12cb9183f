using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Storage;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>
/// Downloads by URL on the host: the agent fetches and checks the file like an upload; the panel follows the
/// transfer once a second, as the task's progress, until it ends.
/// </summary>
internal sealed class DownloadOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    PoolFileOperations files,
    StorageAgents storage,
    AgentGateway agents,
    TaskLog tasks,
    InventoryNotifier notifier,
    IOptions<StorageOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DownloadOperations> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async Task<OperationResult> StartAsync(Guid hostId, Guid poolId, DownloadFileRequest request, ClaimsPrincipal user)
    {
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return new OperationResult(OperationStatus.Invalid, "url: an absolute http:// or https:// address");
        }

        // The address goes into the task log and the audit: credentials in it would be kept there in clear.
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return new OperationResult(OperationStatus.Invalid, "url: an address without a user name or password (user:password@host is not accepted)");
        }

        var fileName = string.IsNullOrWhiteSpace(request.FileName) ? Uri.UnescapeDataString(url.Segments[^1]) : request.FileName.Trim();
        var sha256 = string.IsNullOrWhiteSpace(request.Sha256) ? null : request.Sha256.Trim().ToLowerInvariant();
        if (sha256 is not null && !Sha256Text.IsValid(sha256))
        {
            return new OperationResult(OperationStatus.Invalid, "sha256: 64 hexadecimal digits");
        }

        var target = await files.ResolveAsync(hostId, poolId, user, Privileges.DatastoreAllocateSpace, fileName);
        if (target.Refusal is { } refusal)
        {
            return refusal;
        }

        var (host, pool) = (target.Host!, target.Pool!);
        var task = await tasks.StartAsync("storage.download", "pool", pool.Id.ToString(), pool.Name, Actor.NameOf(user), $"{fileName} from {url.GetLeftPart(UriPartial.Path)}");
        var download = new DownloadRequest
        {
            TransferId = task.Id,
            PoolPath = pool.Path,
            FileName = fileName,
            Url = url,
            MaxBytes = options.Value.MaxUploadBytes,
            ExpectedSha256 = sha256,
        };
        var reply = await agents.SendAsync(hostId, host.Name, agent => agent.StartDownload(download));
        if (!reply.Ok)
        {
            await tasks.FailAsync(task.Id, reply.Error!);
            return AgentReplies.ToResult(reply, task.Id);
        }

        _ = Task.Run(() => FollowAsync(host, pool, fileName, task.Id, lifetime.ApplicationStopping));
        return new OperationResult(OperationStatus.Accepted, $"Host '{host.Name}' is downloading '{fileName}' into pool '{pool.Name}'.", task.Id);
    }

    /// <summary>
    /// Follows the transfer until it ends; whatever goes wrong meanwhile ends the task as failed with the reason,
    /// never leaving it running. Only the panel's shutdown stops following quietly: the next start fails the tasks
    /// it left running.
    /// </summary>
    private async Task FollowAsync(HostRecord host, StoragePool pool, string fileName, Guid taskId, CancellationToken stopping)
    {
        try
        {
            await WatchAsync(host, pool, fileName, taskId, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            UploadLog.DownloadWatchFailed(logger, taskId, ex.Message);
            await FailQuietlyAsync(taskId, $"Following the download failed: {ex.Message}");
        }
    }

    private async Task WatchAsync(HostRecord host, StoragePool pool, string fileName, Guid taskId, CancellationToken stopping)
    {
        while (true)
        {
            await Task.Delay(PollInterval, stopping);
            var reply = await storage.GetDownloadAsync(host.Id, host.Name, taskId);
            if (!reply.Result.Ok || reply.Status is not { } status)
            {
                await tasks.FailAsync(taskId, $"Lost track of the download: {reply.Result.Error}");
                return;
            }

            if (status.Result is not { } result)
            {
                if (status.TotalBytes is > 0 and { } total)
                {
                    await tasks.ReportProgressAsync(taskId, (double)status.ReceivedBytes / total);
                }

                continue;
            }

            if (!result.Ok)
            {
                await tasks.FailAsync(taskId, result.Error!);
                return;
            }

            if (PoolFileNames.KindOf(fileName) == PoolFileKind.Iso)
            {
                await using var db = await contexts.CreateDbContextAsync();
                await db.IsoImages.Where(i => i.PoolId == pool.Id && i.FileName == fileName).ExecuteDeleteAsync();
                db.IsoImages.Add(new IsoImage { Id = Guid.NewGuid(), PoolId = pool.Id, FileName = fileName, SizeBytes = result.ReceivedBytes, Sha256 = result.Sha256, UploadedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            }

            await tasks.AppendAsync(taskId, $"Stored as {result.Path} ({result.Format}), SHA-256 {result.Sha256}.");
            await tasks.CompleteAsync(taskId);
            notifier.NotifyHostChanged(host.Id);
            return;
        }
    }

    // The failure may be the database's own: then the task cannot be ended now, and the log is all there is.
    private async Task FailQuietlyAsync(Guid taskId, string reason)
    {
        try
        {
            await tasks.FailAsync(taskId, reason);
        }
        catch (Exception ex)
        {
            UploadLog.DownloadWatchFailed(logger, taskId, $"the task could not be ended either: {ex.Message}");
        }
    }
}
