using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.Storage;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

internal sealed partial class VmHost
{
    private const string ChangeCdromOperation = "change the CD-ROM of";

    /// <summary>The qdev id QemuCommandLine gives the CD-ROM drive.</summary>
    private const string CdromDeviceId = "cdrom0";

    private readonly PoolDownloads _downloads;

    /// <summary>The host's storage pools: the image folder and those the panel added.</summary>
    public PoolRegistry Pools { get; }

    /// <summary>Uploads and downloads into the pools.</summary>
    public PoolTransfers Transfers { get; }

    public Task<PoolListReply> ListPools()
    {
        var pools = Pools.Paths.Select(path =>
        {
            try
            {
                var space = FileSystemSpace.Of(path);
                return new PoolStatus { Path = path, IsDefault = path == Pools.DefaultPath, TotalBytes = space.TotalBytes, FreeBytes = space.FreeBytes };
            }
            catch (IOException ex)
            {
                return new PoolStatus { Path = path, IsDefault = path == Pools.DefaultPath, Error = ex.Message };
            }
        }).ToList();
        return Task.FromResult(new PoolListReply(AgentReply.Success(), pools));
    }

    public Task<AgentReply> AddPool(string path)
    {
        if (Pools.Add(path) is { } refusal)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, refusal));
        }

        StorageLog.PoolAdded(_logger, path);
        return Task.FromResult(AgentReply.Success());
    }

    public Task<AgentReply> RemovePool(string path)
    {
        if (Pools.Find(path) is not { } pool)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.NotFound, $"'{path}' is not a pool of this host."));
        }

        if (UserOf(p => PoolPaths.IsInside(p, pool)) is { } user)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"Pool '{pool}' is in use: {user}."));
        }

        if (Transfers.IsBusy(pool))
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"Pool '{pool}' is in use: a transfer into it is running."));
        }

        if (Pools.Remove(pool) is { } refusal)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, refusal));
        }

        StorageLog.PoolRemoved(_logger, pool);
        return Task.FromResult(AgentReply.Success());
    }

    public Task<PoolContentReply> ListPoolContent(string poolPath)
    {
        if (Pools.Find(poolPath) is not { } pool)
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
        if (Pools.Find(poolPath) is not { } pool)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.NotFound, $"'{poolPath}' is not a pool of this host."));
        }

        if (PoolFileNames.Check(fileName) is { } invalid)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, invalid));
        }

        var path = Path.Join(pool, fileName);
        if (new FileInfo(path) is not { Exists: true, LinkTarget: null })
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.NotFound, $"There is no file '{fileName}' in pool '{pool}'."));
        }

        if (UserOf(p => p == path) is { } user)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' is in use: {user}."));
        }

        File.Delete(path);
        StorageLog.FileDeleted(_logger, path);
        return Task.FromResult(AgentReply.Success());
    }

    public async Task<UploadStatusReply> GetUploadStatus(string poolPath, string fileName)
    {
        var (target, refusal) = Transfers.Resolve(poolPath, fileName);
        if (target is null)
        {
            return new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Invalid, refusal!), 0);
        }

        if (!await Transfers.WaitUntilIdleAsync(target, TimeSpan.FromSeconds(10), _stopping.Token).ConfigureAwait(false))
        {
            return new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' is being transferred right now."), PoolTransfers.PartialLength(target));
        }

        return File.Exists(target.FinalPath)
            ? new UploadStatusReply(AgentReply.Failure(AgentErrorKind.Conflict, $"'{fileName}' already exists in pool '{target.Pool}'."), 0)
            : new UploadStatusReply(AgentReply.Success(), PoolTransfers.PartialLength(target));
    }

    public Task<AgentReply> DiscardUpload(string poolPath, string fileName)
    {
        var (target, refusal) = Transfers.Resolve(poolPath, fileName);
        if (target is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, refusal!));
        }

        return Task.FromResult(Transfers.Discard(target) is { } busy ? AgentReply.Failure(AgentErrorKind.Conflict, busy) : AgentReply.Success());
    }

    public Task<AgentReply> StartDownload(DownloadRequest request) =>
        Task.FromResult(request is null
            ? AgentReply.Failure(AgentErrorKind.Invalid, "The download request is missing.")
            : _downloads.Start(request, _stopping.Token));

    public Task<DownloadStatusReply> GetDownload(Guid transferId) =>
        Task.FromResult(_downloads.Status(transferId) is { } status
            ? new DownloadStatusReply(AgentReply.Success(), status)
            : new DownloadStatusReply(AgentReply.Failure(AgentErrorKind.NotFound, $"There is no download {transferId} on this host."), null));

    /// <summary>Puts an ISO from a pool into the VM's CD-ROM drive, or empties it; live when the VM runs, and in its stored definition.</summary>
    public Task<AgentReply> ChangeCdrom(Guid uuid, string? isoPath) =>
        RunAsync(uuid, ChangeCdromOperation, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReply.Failure(AgentErrorKind.NotFound, $"VM {uuid} runs on this host without a definition.");
            }

            if (definition.Cdrom is not { } cdrom)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' has no CD-ROM drive.");
            }

            if (isoPath is not null && CheckIso(isoPath) is { } invalid)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, invalid);
            }

            if (entry.Run is { } run)
            {
                if (isoPath is null)
                {
                    await run.Process.Qmp.EjectAsync(CdromDeviceId, force: true, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await run.Process.Qmp.BlockdevChangeMediumAsync(CdromDeviceId, isoPath, "raw", "read-only", cancellationToken).ConfigureAwait(false);
                }

                // QEMU's own view decides: a guest holding the tray shut can leave the old medium in place.
                var drive = (await run.Process.Qmp.QueryBlockAsync(cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(d => d.Qdev is { } qdev && (qdev == CdromDeviceId || qdev.EndsWith("/" + CdromDeviceId, StringComparison.Ordinal)));
                if (drive is null || drive.File != isoPath)
                {
                    return AgentReply.Failure(AgentErrorKind.Failed,
                        $"VM '{entry.Name}': QEMU reports its CD-ROM holding {drive?.File ?? "nothing"} after the change; the guest may hold the tray locked.");
                }
            }

            var changed = definition with { Cdrom = cdrom with { IsoPath = isoPath } };
            _store.Save(changed);
            entry.Commit(changed);
            StorageLog.CdromChanged(_logger, uuid, isoPath ?? "nothing");
            return AgentReply.Success(entry.Report(isoPath is null ? "cdrom-ejected" : "cdrom-inserted"));
        });

    private string? CheckIso(string isoPath)
    {
        if (Pools.PoolOf(isoPath) is not { } pool || PoolPaths.Normalise(isoPath) != isoPath)
        {
            return $"'{isoPath}' is not a file in one of this host's pools.";
        }

        var name = Path.GetFileName(isoPath);
        if (PoolFileNames.Check(name) is { } invalid || PoolFileNames.KindOf(name) != PoolFileKind.Iso)
        {
            return $"'{isoPath}' is not an ISO image{(PoolFileNames.Check(name) is { } why ? $": {why}" : "")}.";
        }

        return new FileInfo(isoPath) is { Exists: true, LinkTarget: null } ? null : $"There is no ISO '{name}' in pool '{pool}'.";
    }

    /// <summary>The first VM whose disk or CD-ROM path matches, described for a refusal; null when none.</summary>
    private string? UserOf(Func<string, bool> matches)
    {
        foreach (var entry in Entries())
        {
            if (entry.Definition is not { } definition)
            {
                continue;
            }

            if (definition.Cdrom?.IsoPath is { } iso && matches(iso))
            {
                return $"VM '{entry.Name}' has '{Path.GetFileName(iso)}' in its CD-ROM drive";
            }

            if (definition.Disks.FirstOrDefault(d => matches(d.Path)) is { } disk)
            {
                return $"VM '{entry.Name}' uses '{Path.GetFileName(disk.Path)}' as disk {disk.Id}";
            }
        }

        return null;
    }

    private static IEnumerable<FileInfo> RegularFiles(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles().Where(f => f.LinkTarget is null && (f.Attributes & FileAttributes.ReparsePoint) == 0)
            : [];
}
