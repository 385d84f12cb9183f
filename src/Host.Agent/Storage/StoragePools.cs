using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Storage;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Storage;

/// <summary>The host's storage pools and the files in them: listing, adding and removing pools, deleting files, uploads and downloads.</summary>
internal sealed class StoragePools(VmRegistry registry, PoolRegistry pools, PoolTransfers transfers, PoolDownloads downloads, ImageUsers users, ILogger<StoragePools> logger)
{
    public Task<PoolListReply> ListPools()
    {
        var statuses = pools.Paths.Select(path =>
        {
            try
            {
                var space = FileSystemSpace.Of(path);
                return new PoolStatus { Path = path, IsDefault = path == pools.DefaultPath, TotalBytes = space.TotalBytes, FreeBytes = space.FreeBytes };
            }
            catch (IOException ex)
            {
                return new PoolStatus { Path = path, IsDefault = path == pools.DefaultPath, Error = ex.Message };
            }
        }).ToList();
        return Task.FromResult(new PoolListReply(AgentReply.Success(), statuses));
    }

    public Task<AgentReply> AddPool(string path)
    {
        if (pools.Add(path) is { } refusal)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, refusal));
        }

        StorageLog.PoolAdded(logger, path);
        return Task.FromResult(AgentReply.Success());
    }

    public Task<AgentReply> RemovePool(string path)
    {
        if (pools.Find(path) is not { } pool)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.NotFound, $"'{path}' is not a pool of this host."));
        }

        if (users.UserOf(p => PoolPaths.IsInside(p, pool)) is { } user)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"Pool '{pool}' is in use: {user}."));
        }

        if (transfers.IsBusy(pool))
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"Pool '{pool}' is in use: a transfer into it is running."));
        }

        if (pools.Remove(pool) is { } refusal)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, refusal));
        }

        StorageLog.PoolRemoved(logger, pool);
        return Task.FromResult(AgentReply.Success());
    }

    public Task<PoolContentReply> ListPoolContent(string poolPath)
    {
        if (pools.Find(poolPath) is not { } pool)
        {
            return Task.FromResult(new PoolContentReply(AgentReply.Failure(AgentErrorKind.NotFound, $"'{poolPath}' is not a pool of this host."), []));
        }

        try
        {
            var files = RegularFiles(pool).Where(f => !f.Name.StartsWith('.'))
                .Select(f => new PoolFile(f.Name, PoolFileNames.KindOf(f.Name), f.Length, f.LastWriteTimeUtc))
                .Concat(RegularFiles(Path.Join(pool, PoolFileNames.PartialFolder))
                    .Select(f => new PoolFile(f.Name, PoolFileKind.Partial, f.Length, f.LastWriteTimeUtc)))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(new PoolContentReply(AgentReply.Success(), files));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(new PoolContentReply(AgentReply.Failure(AgentErrorKind.Failed, $"Cannot list pool '{pool}': {ex.Message}"), []));
        }
    }

    public Task<AgentReply> DeletePoolFile(string poolPath, string fileName)
    {
        if (pools.Find(poolPath) is not { } pool)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.NotFound, $"'{poolPath}' is not a pool of this host."));
        }

        if (PoolFileNames.Check(fileName) is { } invalid)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, invalid));
        }

        // Deletion runs as root: only what a pool holds (ISO and disk images) goes, never a file of another kind.
        if (PoolFileNames.KindOf(fileName) is not (PoolFileKind.Iso or PoolFileKind.DiskImage))
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"'{fileName}' is not an ISO or disk image (.iso, .qcow2, .raw, .img): only those are deleted from a pool."));
        }

        // lstat, not stat: a symbolic link, a folder, a FIFO or a device named like an image is refused, not followed.
        var path = Path.Join(pool, fileName);
        if (!RegularFile.IsRegularNoFollow(path))
        {
            return Task.FromResult(File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null
                ? AgentReply.Failure(AgentErrorKind.Invalid, $"'{fileName}' in pool '{pool}' is not a regular file (a link, folder or device): it is left alone.")
                : AgentReply.Failure(AgentErrorKind.NotFound, $"There is no file '{fileName}' in pool '{pool}'."));
        }

        if (users.UserOf(p => p == path) is { } user)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' is in use: {user}."));
        }

        File.Delete(path);
        StorageLog.FileDeleted(logger, path);
        return Task.FromResult(AgentReply.Success());
    }

    public async Task<UploadStatusReply> GetUploadStatus(string poolPath, string fileName)
    {
        var (target, refusal) = transfers.Resolve(poolPath, fileName);
        if (target is null)
        {
            return new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Invalid, refusal!), 0);
        }

        if (!await transfers.WaitUntilIdleAsync(target, TimeSpan.FromSeconds(10), registry.Stopping).ConfigureAwait(false))
        {
            return new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' is being transferred right now."), PoolTransfers.PartialLength(target));
        }

        return File.Exists(target.FinalPath)
            ? new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' already exists in pool '{target.Pool}'."), 0)
            : new UploadStatusReply(AgentReply.Success(), PoolTransfers.PartialLength(target));
    }

    public Task<AgentReply> DiscardUpload(string poolPath, string fileName)
    {
        var (target, refusal) = transfers.Resolve(poolPath, fileName);
        if (target is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, refusal!));
        }

        return Task.FromResult(transfers.Discard(target) is { } busy ? AgentReply.Failure(AgentErrorKind.Conflict, busy) : AgentReply.Success());
    }

    public Task<AgentReply> StartDownload(DownloadRequest request) =>
        Task.FromResult(request is null
            ? AgentReply.Failure(AgentErrorKind.Invalid, "The download request is missing.")
            : downloads.Start(request, registry.Stopping));

    public Task<DownloadStatusReply> GetDownload(Guid transferId) =>
        Task.FromResult(downloads.Status(transferId) is { } status
            ? new DownloadStatusReply(AgentReply.Success(), status)
            : new DownloadStatusReply(AgentReply.Failure(AgentErrorKind.NotFound, $"There is no download {transferId} on this host."), null));

    private static IEnumerable<FileInfo> RegularFiles(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles().Where(f => f.LinkTarget is null && (f.Attributes & FileAttributes.ReparsePoint) == 0)
            : [];
}
