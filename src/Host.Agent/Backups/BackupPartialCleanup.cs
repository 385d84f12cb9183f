using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebVirt.Host.Agent.Backups;

/// <summary>
/// At agent start, removes what backups interrupted by the last stop or crash left behind (their hidden partial
/// folders, as large as the disks copied so far). No backup runs yet at that point; a copy that QEMU itself was still
/// making for a running VM writes on into the deleted file and frees its space when the job ends.
/// </summary>
internal sealed partial class BackupPartialCleanup(BackupStore store, ILogger<BackupPartialCleanup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var folder in store.DeleteAbandonedPartials())
            {
                PartialDeleted(logger, folder);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start: a folder that cannot be removed now must not keep the agent from running VMs.
            CleanupFailed(logger, store.Root, ex.Message);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 650, Level = LogLevel.Information, Message = "Removed {Folder}, left by a backup that did not finish")]
    private static partial void PartialDeleted(ILogger logger, string folder);

    [LoggerMessage(EventId = 651, Level = LogLevel.Warning, Message = "Could not remove unfinished backups under {Root}: {Reason}")]
    private static partial void CleanupFailed(ILogger logger, string root, string reason);
}
