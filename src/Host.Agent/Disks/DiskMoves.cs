using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>Moving a disk image into another pool, optionally into another format.</summary>
internal sealed class DiskMoves(
    VmRegistry registry,
    QemuImg qemuImg,
    VmDefinitionStore store,
    PoolRegistry pools,
    ImageUsers users,
    ILogger<DiskMoves> logger)
{
    public Task<AgentReply> MoveDisk(MoveDiskRequest request) =>
        request is null
            ? Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The move request is missing."))
            : registry.RunAsync(request.Uuid, VmOperations.MoveDisk, (entry, cancellationToken) => MoveDiskAsync(entry, request, cancellationToken));

    private async Task<AgentReply> MoveDiskAsync(VmEntry entry, MoveDiskRequest request, CancellationToken cancellationToken)
    {
        if (VmDisks.FindDisk(entry, request.DiskId, out var definition, out var disk) is { } refusal)
        {
            return refusal;
        }

        if (entry.Run is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop the VM to move its disk.");
        }

        if (pools.Find(request.TargetPool) is not { } pool)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"'{request.TargetPool}' is not a pool of this host.");
        }

        var format = request.TargetFormat ?? disk.Format;
        if (disk.Encrypted && format != DiskFormat.Qcow2)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' is encrypted, which only qcow2 holds: it stays qcow2.");
        }

        if (users.ImagesBackedBy(disk.Path) is { Count: > 0 } overlays)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' is the backing file of {string.Join(", ", overlays)}: moving it would break them.");
        }

        var target = Path.Join(pool, DiskImageNames.FileName(entry.Uuid, disk.Id, format));
        if (target == disk.Path)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' already lies in pool '{pool}' as {format.ToString().ToLowerInvariant()}.");
        }

        if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"'{Path.GetFileName(target)}' already exists in pool '{pool}'; an existing file is never overwritten.");
        }

        if (format != disk.Format && disk.Format == DiskFormat.Qcow2
            && (await qemuImg.ListSnapshotsAsync(disk.Path, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' has internal snapshots, which a change of format would lose: delete them first, or move it as qcow2.");
        }

        var progress = registry.Progress.For(request.TaskId);
        var renamed = false;
        if (format == disk.Format)
        {
            // Same format: the file itself moves, so a qcow2 keeps its snapshots and its backing file.
            renamed = request.DeleteSource && FileRename.TryWithinFileSystem(disk.Path, target);
            if (!renamed)
            {
                await SparseFileCopy.CopyAsync(disk.Path, target, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await qemuImg.ConvertAsync(disk.Path, disk.Format, target, format, compress: false,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
        }

        var changed = VmDisks.WithDisk(definition, disk with { Path = target, Format = format });
        try
        {
            store.Save(changed);
        }
        catch
        {
            if (renamed)
            {
                File.Move(target, disk.Path);
            }
            else
            {
                File.Delete(target);
            }

            throw;
        }

        entry.Commit(changed);
        progress?.Report(1);
        var deleted = renamed;
        if (request.DeleteSource && !renamed)
        {
            if (users.WhyKeepImage(definition, disk) is { } keep)
            {
                DiskLog.ImageKept(logger, entry.Uuid, disk.Id, disk.Path, keep);
            }
            else
            {
                File.Delete(disk.Path);
                deleted = true;
            }
        }

        DiskLog.Moved(logger, entry.Uuid, disk.Id, disk.Path, target, format, deleted);
        return AgentReply.Success(entry.Report("disk-moved"));
    }
}
