using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>Growing, compressing and measuring disk images.</summary>
internal sealed class DiskSizes(
    VmRegistry registry,
    VmSupervisor supervisor,
    QemuImg qemuImg,
    DiskPlacement placement,
    PoolRegistry pools,
    DiskKeyRing keys,
    ImageUsers users,
    ILogger<DiskSizes> logger)
{
    public Task<AgentReply> ResizeDisk(Guid uuid, string diskId, long sizeBytes) =>
        registry.RunAsync(uuid, VmOperations.ResizeDisk, async (entry, cancellationToken) =>
        {
            if (VmDisks.FindDisk(entry, diskId, out _, out var disk) is { } refusal)
            {
                return refusal;
            }

            if (sizeBytes is <= 0 or > VmDisks.MaxDiskBytes || sizeBytes % VmDisks.SectorBytes != 0)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"A disk size must be a positive multiple of {VmDisks.SectorBytes} bytes, at most 64 TiB.");
            }

            if (disk.ReadOnly)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"Disk '{disk.Id}' of VM '{entry.Name}' is read-only.");
            }

            var run = entry.Run;
            var current = (await qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: run is not null, cancellationToken).ConfigureAwait(false)).VirtualSize;
            if (sizeBytes < current)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid,
                    $"Disk '{disk.Id}' has {current} bytes: shrinking it to {sizeBytes} is refused, it would cut off the end of the guest's data. Only growing is supported.");
            }

            if (sizeBytes == current)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' already has {current} bytes: give a larger size to grow it.");
            }

            if (run is not null)
            {
                // The device's own node: a resize below a throttle filter would not reach the guest.
                var node = await DiskHotplug.DeviceNodeAsync(run.Process.Qmp, disk.Id, cancellationToken).ConfigureAwait(false);
                await run.Process.Qmp.BlockResizeAsync(node, sizeBytes, cancellationToken).ConfigureAwait(false);
            }
            else if (disk.Encrypted)
            {
                await WithDiskKeyFileAsync(entry.Uuid, disk, file => qemuImg.ResizeEncryptedAsync(disk.Path, sizeBytes, file, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await qemuImg.ResizeAsync(disk.Path, disk.Format, sizeBytes, cancellationToken).ConfigureAwait(false);
            }

            DiskLog.Resized(logger, entry.Uuid, disk.Id, current, sizeBytes, run is not null);
            return AgentReply.Success(entry.Report("disk-resized"));
        });

    public Task<AgentReply> CompressDisk(Guid uuid, string diskId, Guid? taskId) =>
        registry.RunAsync(uuid, VmOperations.CompressDisk, (entry, cancellationToken) => CompressDiskAsync(entry, diskId, taskId, cancellationToken));

    /// <summary>Reads every disk with qemu-img info (shared, read-only, while the VM runs); a disk that cannot be read gets its error.</summary>
    public async Task<DiskUsageReply> GetDiskUsage(Guid uuid)
    {
        if (registry.TryGetEntry(uuid) is not { IsVisible: true } entry)
        {
            return new DiskUsageReply(AgentReplies.NotFound(uuid), []);
        }

        if (entry.Definition is not { } definition)
        {
            return new DiskUsageReply(AgentReply.Failure(AgentErrorKind.NotFound, $"VM {uuid} runs on this host without a definition."), []);
        }

        var running = entry.Run is not null || supervisor.IsRunning(uuid);
        var disks = new List<DiskUsage>();
        foreach (var disk in definition.Disks)
        {
            try
            {
                var info = await qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: running, registry.Stopping).ConfigureAwait(false);
                disks.Add(new DiskUsage
                {
                    DiskId = disk.Id,
                    Path = disk.Path,
                    Format = disk.Format,
                    VirtualBytes = info.VirtualSize,
                    ActualBytes = info.ActualSize ?? 0,
                    SnapshotCount = info.Snapshots.Count,
                    BackingFile = info.BackingFile,
                });
            }
            catch (Exception ex) when (ex is ImageException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                disks.Add(new DiskUsage { DiskId = disk.Id, Path = disk.Path, Format = disk.Format, Error = ex.Message });
            }
        }

        return new DiskUsageReply(AgentReply.Success(entry.Report()), disks);
    }

    private async Task<AgentReply> CompressDiskAsync(VmEntry entry, string diskId, Guid? taskId, CancellationToken cancellationToken)
    {
        if (VmDisks.FindDisk(entry, diskId, out _, out var disk) is { } refusal)
        {
            return refusal;
        }

        if (entry.Run is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop the VM to compress its disk.");
        }

        if (disk.Format != DiskFormat.Qcow2)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' is raw: only qcow2 images hold compressed data.");
        }

        if (disk.Encrypted)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' is encrypted: QEMU cannot compress an encrypted qcow2.");
        }

        var info = await qemuImg.InfoAsync(disk.Path, DiskFormat.Qcow2, forceShare: false, cancellationToken).ConfigureAwait(false);
        if (info.Snapshots.Count > 0)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' has {info.Snapshots.Count} internal snapshot(s), which rewriting it would lose: delete them first.");
        }

        if (users.ImagesBackedBy(disk.Path) is { Count: > 0 } overlays)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' is the backing file of {string.Join(", ", overlays)}: rewriting it would break them.");
        }

        // A linked clone stays an overlay on its base (named by absolute path, as the temporary copy lies elsewhere).
        var backing = info.BackingFile is { } name ? Path.GetFullPath(name, Path.GetDirectoryName(disk.Path)!) : null;
        var backingFormat = info.BackingFormat == "raw" ? DiskFormat.Raw : DiskFormat.Qcow2;
        var before = info.ActualSize ?? new FileInfo(disk.Path).Length;

        // Written in the pool's .partial folder (same file system) and renamed over the image once whole.
        var partialFolder = Path.Join(placement.PoolOf(disk.Path) ?? pools.DefaultPath, PoolFileNames.PartialFolder);
        Directory.CreateDirectory(partialFolder);
        var temporary = Path.Join(partialFolder, $"{Path.GetFileName(disk.Path)}.compress-{Guid.NewGuid():N}");
        var progress = registry.Progress.For(taskId);
        try
        {
            await qemuImg.CompressAsync(disk.Path, temporary, backing, info.BackingFile is null ? null : backingFormat,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(disk.Path));
            File.Move(temporary, disk.Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        var after = (await qemuImg.InfoAsync(disk.Path, DiskFormat.Qcow2, forceShare: false, cancellationToken).ConfigureAwait(false)).ActualSize ?? new FileInfo(disk.Path).Length;
        DiskLog.Compressed(logger, entry.Uuid, disk.Id, before, after);
        return AgentReply.Success(entry.Report($"disk-compressed ({before} bytes on the host before, {after} after)"));
    }

    /// <summary>Runs <paramref name="body"/> with the disk's key in a 0600 file in a 0700 temporary folder, deleted after.</summary>
    private async Task WithDiskKeyFileAsync(Guid uuid, DiskDefinition disk, Func<string, Task> body)
    {
        if (!keys.DiskKeysOf(uuid).TryGetValue(disk.Id, out var key))
        {
            throw new ArgumentException($"Disk '{disk.Id}' is encrypted but the panel provided no key for it.");
        }

        var folder = Directory.CreateTempSubdirectory("webvirt-key-");
        try
        {
            var file = Path.Combine(folder.FullName, "key");
            File.WriteAllText(file, key);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await body(file).ConfigureAwait(false);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
