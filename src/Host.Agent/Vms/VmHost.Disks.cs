using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Hypervisor.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// Disk actions on one VM, as Proxmox offers them: add (new, imported, existing), detach, grow, move, compress,
/// I/O limits and usage. Each checks everything before it changes anything, and undoes its own steps when a
/// later one fails, so a refused or failed action leaves the VM, its definition and the pools as they were.
/// </summary>
internal sealed partial class VmHost
{
    /// <summary>The largest image qemu-img creates (64 TiB), also the ceiling for growing one.</summary>
    private const long MaxDiskBytes = 64L << 40;

    private const int SectorBytes = 512;

    /// <summary>The QEMU of a running VM, for callers that read QEMU's own state (tests, diagnostics); null when it is not running.</summary>
    internal Hypervisor.Processes.VmProcess? RunningProcess(Guid uuid) => TryGetEntry(uuid)?.Run?.Process;

    public Task<AgentReply> AddDisk(AddDiskRequest request) =>
        request?.Disk is null
            ? Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The disk to add is missing."))
            : RunAsync(request.Uuid, VmOperations.AddDisk, (entry, cancellationToken) => AddDiskAsync(entry, request, cancellationToken));

    public Task<AgentReply> DetachDisk(Guid uuid, string diskId, bool deleteImage) =>
        RunAsync(uuid, VmOperations.DetachDisk, async (entry, cancellationToken) =>
        {
            if (FindDisk(entry, diskId, out var definition, out var disk) is { } refusal)
            {
                return refusal;
            }

            var live = entry.Run is not null;
            if (live && disk.Bus == DiskBus.Sata)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop the VM to detach a SATA disk.");
            }

            // Decided before anything changes, against the host as it is now.
            var keep = deleteImage ? WhyKeepImage(definition, disk) : null;
            if (entry.Run is { } running)
            {
                try
                {
                    if (await DiskHotplug.UnplugAsync(running.Process, disk, cancellationToken).ConfigureAwait(false) is { } leftover)
                    {
                        DiskLog.NodesLeft(_logger, entry.Uuid, disk.Id, leftover);
                    }
                }
                catch (TimeoutException ex)
                {
                    return AgentReply.Failure(AgentErrorKind.Failed,
                        $"Disk '{disk.Id}' of VM '{entry.Name}' was not detached: {ex.Message} The guest may still be using it; the VM keeps the disk.");
                }
            }

            var changed = definition with { Disks = [.. definition.Disks.Where(d => d.Id != disk.Id)] };
            _store.Save(changed);
            entry.Commit(changed);

            var deleted = false;
            if (deleteImage && keep is null)
            {
                File.Delete(disk.Path);
                deleted = true;
            }
            else if (keep is not null)
            {
                DiskLog.ImageKept(_logger, entry.Uuid, disk.Id, disk.Path, keep);
            }

            DiskLog.Detached(_logger, entry.Uuid, disk.Id, disk.Path, live, deleted);
            return AgentReply.Success(entry.Report(keep is null ? "disk-detached" : $"disk-detached (image kept: {keep})"));
        });

    public Task<AgentReply> ResizeDisk(Guid uuid, string diskId, long sizeBytes) =>
        RunAsync(uuid, VmOperations.ResizeDisk, async (entry, cancellationToken) =>
        {
            if (FindDisk(entry, diskId, out _, out var disk) is { } refusal)
            {
                return refusal;
            }

            if (sizeBytes is <= 0 or > MaxDiskBytes || sizeBytes % SectorBytes != 0)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"A disk size must be a positive multiple of {SectorBytes} bytes, at most 64 TiB.");
            }

            if (disk.ReadOnly)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"Disk '{disk.Id}' of VM '{entry.Name}' is read-only.");
            }

            var run = entry.Run;
            var current = (await _qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: run is not null, cancellationToken).ConfigureAwait(false)).VirtualSize;
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
                await WithDiskKeyFileAsync(entry.Uuid, disk, file => _qemuImg.ResizeEncryptedAsync(disk.Path, sizeBytes, file, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await _qemuImg.ResizeAsync(disk.Path, disk.Format, sizeBytes, cancellationToken).ConfigureAwait(false);
            }

            DiskLog.Resized(_logger, entry.Uuid, disk.Id, current, sizeBytes, run is not null);
            return AgentReply.Success(entry.Report("disk-resized"));
        });

    public Task<AgentReply> MoveDisk(MoveDiskRequest request) =>
        request is null
            ? Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The move request is missing."))
            : RunAsync(request.Uuid, VmOperations.MoveDisk, (entry, cancellationToken) => MoveDiskAsync(entry, request, cancellationToken));

    public Task<AgentReply> CompressDisk(Guid uuid, string diskId, Guid? taskId) =>
        RunAsync(uuid, VmOperations.CompressDisk, (entry, cancellationToken) => CompressDiskAsync(entry, diskId, taskId, cancellationToken));

    public Task<AgentReply> SetDiskIoLimits(Guid uuid, string diskId, DiskIoLimits? limits) =>
        RunAsync(uuid, VmOperations.DiskIoLimits, async (entry, cancellationToken) =>
        {
            if (FindDisk(entry, diskId, out var definition, out var disk) is { } refusal)
            {
                return refusal;
            }

            var wanted = limits is { IsUnlimited: false } ? limits : null;
            if (wanted is not null && DefinitionValidator.CheckIoLimits(wanted) is { } invalid)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}': {invalid}.");
            }

            if (entry.Run is { } run)
            {
                // QEMU's own state decides: a disk started with limits keeps its group even once they are lifted.
                var group = QemuCommandLine.ThrottleGroupId(disk.Id);
                if (await HasObjectAsync(run.Process.Qmp, group, cancellationToken).ConfigureAwait(false))
                {
                    await run.Process.Qmp.SetThrottleLimitsAsync(group, wanted ?? new DiskIoLimits(), cancellationToken).ConfigureAwait(false);
                }
                else if (wanted is not null)
                {
                    return AgentReply.Failure(AgentErrorKind.Conflict,
                        $"VM '{entry.Name}' is running and disk '{disk.Id}' was started without I/O limits: stop the VM to add limits to a disk that had none.");
                }
            }

            var changed = WithDisk(definition, disk with { IoLimits = wanted });
            _store.Save(changed);
            entry.Commit(changed);
            DiskLog.LimitsSet(_logger, entry.Uuid, disk.Id, wanted?.ToString() ?? "unlimited", entry.Run is not null);
            return AgentReply.Success(entry.Report("disk-limits-changed"));
        });

    /// <summary>Reads every disk with qemu-img info (shared, read-only, while the VM runs); a disk that cannot be read gets its error.</summary>
    public async Task<DiskUsageReply> GetDiskUsage(Guid uuid)
    {
        if (TryGetEntry(uuid) is not { IsVisible: true } entry)
        {
            return new DiskUsageReply(NotFound(uuid), []);
        }

        if (entry.Definition is not { } definition)
        {
            return new DiskUsageReply(AgentReply.Failure(AgentErrorKind.NotFound, $"VM {uuid} runs on this host without a definition."), []);
        }

        var running = entry.Run is not null || _supervisor.IsRunning(uuid);
        var disks = new List<DiskUsage>();
        foreach (var disk in definition.Disks)
        {
            try
            {
                var info = await _qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: running, _stopping.Token).ConfigureAwait(false);
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

    private async Task<AgentReply> AddDiskAsync(VmEntry entry, AddDiskRequest request, CancellationToken cancellationToken)
    {
        if (entry.Definition is not { } definition)
        {
            return NoDefinition(entry);
        }

        var disk = request.Disk;
        if (CheckNewDisk(entry, definition, request) is { } refusal)
        {
            return refusal;
        }

        var run = entry.Run;
        var created = false;
        var plugged = false;
        try
        {
            string source;
            if (request.SizeBytes is { } size)
            {
                if (disk.Encrypted)
                {
                    await CreateEncryptedDiskAsync(definition, disk, size, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _qemuImg.CreateAsync(disk.Path, disk.Format, size, cancellationToken).ConfigureAwait(false);
                }

                created = true;
                source = $"new, {size} bytes";
            }
            else if (request.ImportFrom is { } from)
            {
                var format = await ScreenAsync(from, request.ImportFormat, cancellationToken).ConfigureAwait(false);
                if (format.Refusal is not null)
                {
                    return AgentReply.Failure(AgentErrorKind.Invalid, format.Refusal);
                }

                var progress = _progress.For(request.TaskId);
                await _qemuImg.ConvertAsync(from, format.Format, disk.Path, disk.Format, compress: false,
                    progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
                created = true;
                source = $"imported from {from}";
            }
            else
            {
                var format = await ScreenAsync(disk.Path, disk.Format, cancellationToken).ConfigureAwait(false);
                if (format.Refusal is not null)
                {
                    return AgentReply.Failure(AgentErrorKind.Invalid, format.Refusal);
                }

                source = "existing image";
            }

            if (run is not null)
            {
                if (!disk.ReadOnly)
                {
                    _supervisor.HandToQemu(disk.Path);
                }

                await DiskHotplug.PlugAsync(run.Process, definition, disk, cancellationToken).ConfigureAwait(false);
                plugged = true;
            }

            var changed = definition with { Disks = [.. definition.Disks, disk] };
            _store.Save(changed);
            entry.Commit(changed);
            DiskLog.Added(_logger, entry.Uuid, disk.Id, source, disk.Path, run is not null);
            return AgentReply.Success(entry.Report("disk-added"));
        }
        catch
        {
            await RollBackAddAsync(entry, disk, run, plugged, created).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Every reason to refuse the new disk, checked before anything is created.</summary>
    private AgentReply? CheckNewDisk(VmEntry entry, VmDefinition definition, AddDiskRequest request)
    {
        var disk = request.Disk;
        AgentReply Invalid(string message) => AgentReply.Failure(AgentErrorKind.Invalid, message);
        if (request.SizeBytes is not null && request.ImportFrom is not null)
        {
            return Invalid("Give either a size for a new image or an image to import, not both.");
        }

        if (request.ImportFrom is null && request.ImportFormat is not null)
        {
            return Invalid("An import format needs an image to import.");
        }

        if (request.SizeBytes is <= 0 or > MaxDiskBytes)
        {
            return Invalid("A new disk's size must be between 1 byte and 64 TiB.");
        }

        if (definition.Disks.Any(d => d.Id == disk.Id))
        {
            return Invalid($"VM '{entry.Name}' already has a disk '{disk.Id}'.");
        }

        var errors = DefinitionValidator.Validate(definition with { Disks = [.. definition.Disks, disk] });
        if (errors.Count > 0)
        {
            return Invalid(new InvalidDefinitionException(errors).Message);
        }

        if (_disks.CheckInside(disk.Path) is { } outside)
        {
            return Invalid($"Disk '{disk.Id}': {outside}.");
        }

        if (UserOf(p => p == disk.Path) is { } user)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"'{Path.GetFileName(disk.Path)}' is in use: {user}.");
        }

        if (entry.Run is not null && DiskHotplug.CheckPossible(definition, disk) is { } notLive)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: {notLive}.");
        }

        var exists = File.Exists(disk.Path) || Directory.Exists(disk.Path) || new FileInfo(disk.Path).LinkTarget is not null;
        if (request.SizeBytes is not null || request.ImportFrom is not null)
        {
            if (exists)
            {
                return Invalid($"'{disk.Path}' already exists; an existing file is never overwritten.");
            }
        }
        else if (!exists)
        {
            return Invalid($"There is no image at '{disk.Path}': give a size to create one, or an image to import.");
        }

        if (disk.Encrypted && request.SizeBytes is null)
        {
            return Invalid("Only a new disk can be encrypted: an imported or existing image is attached as it is.");
        }

        if (request.ImportFrom is { } from)
        {
            if (Pools.PoolOf(from) is null || PoolPaths.Normalise(from) != from || new FileInfo(from) is not { Exists: true, LinkTarget: null })
            {
                return Invalid($"'{from}' is not a file in one of this host's pools.");
            }

            if (from == disk.Path)
            {
                return Invalid("An image cannot be imported onto itself.");
            }
        }

        return null;
    }

    /// <summary>
    /// Screens an image nobody vouched for (an import source, an existing file): probed, never with a backing or
    /// data file opened, and its format must be the one the caller names. Returns the format, or why not.
    /// </summary>
    private async Task<(DiskFormat Format, string? Refusal)> ScreenAsync(string path, DiskFormat? expected, CancellationToken cancellationToken)
    {
        ImageInfo info;
        try
        {
            info = await _qemuImg.InspectUntrustedAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageException ex)
        {
            return (default, ex.Message);
        }

        var probed = info.Format == "qcow2" ? DiskFormat.Qcow2 : DiskFormat.Raw;
        return expected is { } format && format != probed
            ? (format, $"'{Path.GetFileName(path)}' is a {info.Format} image, not {format.ToString().ToLowerInvariant()}: it is never read as a format it is not.")
            : (probed, null);
    }

    private async Task RollBackAddAsync(VmEntry entry, DiskDefinition disk, VmRun? run, bool plugged, bool created)
    {
        try
        {
            if (plugged && run is not null)
            {
                if (await DiskHotplug.UnplugAsync(run.Process, disk, CancellationToken.None).ConfigureAwait(false) is { } leftover)
                {
                    DiskLog.NodesLeft(_logger, entry.Uuid, disk.Id, leftover);
                    return; // QEMU still holds the image: leave it rather than delete it under a running QEMU.
                }
            }
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException)
        {
            DiskLog.RollbackFailed(_logger, entry.Uuid, disk.Id, ex.Message);
            return; // QEMU may still hold the image: leave it rather than delete it under a running guest.
        }

        if (created)
        {
            File.Delete(disk.Path);
        }
    }

    private async Task<AgentReply> MoveDiskAsync(VmEntry entry, MoveDiskRequest request, CancellationToken cancellationToken)
    {
        if (FindDisk(entry, request.DiskId, out var definition, out var disk) is { } refusal)
        {
            return refusal;
        }

        if (entry.Run is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop the VM to move its disk.");
        }

        if (Pools.Find(request.TargetPool) is not { } pool)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"'{request.TargetPool}' is not a pool of this host.");
        }

        var format = request.TargetFormat ?? disk.Format;
        if (disk.Encrypted && format != DiskFormat.Qcow2)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' is encrypted, which only qcow2 holds: it stays qcow2.");
        }

        if (ImagesBackedBy(disk.Path) is { Count: > 0 } overlays)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' is the backing file of {string.Join(", ", overlays)}: moving it would break them.");
        }

        var target = Path.Join(pool, $"{entry.Name}-{disk.Id}.{(format == DiskFormat.Qcow2 ? "qcow2" : "raw")}");
        if (target == disk.Path)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}' already lies in pool '{pool}' as {format.ToString().ToLowerInvariant()}.");
        }

        if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"'{Path.GetFileName(target)}' already exists in pool '{pool}'; an existing file is never overwritten.");
        }

        if (format != disk.Format && disk.Format == DiskFormat.Qcow2
            && (await _qemuImg.ListSnapshotsAsync(disk.Path, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' has internal snapshots, which a change of format would lose: delete them first, or move it as qcow2.");
        }

        var progress = _progress.For(request.TaskId);
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
            await _qemuImg.ConvertAsync(disk.Path, disk.Format, target, format, compress: false,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
        }

        var changed = WithDisk(definition, disk with { Path = target, Format = format });
        try
        {
            _store.Save(changed);
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
            if (WhyKeepImage(definition, disk) is { } keep)
            {
                DiskLog.ImageKept(_logger, entry.Uuid, disk.Id, disk.Path, keep);
            }
            else
            {
                File.Delete(disk.Path);
                deleted = true;
            }
        }

        DiskLog.Moved(_logger, entry.Uuid, disk.Id, disk.Path, target, format, deleted);
        return AgentReply.Success(entry.Report("disk-moved"));
    }

    private async Task<AgentReply> CompressDiskAsync(VmEntry entry, string diskId, Guid? taskId, CancellationToken cancellationToken)
    {
        if (FindDisk(entry, diskId, out _, out var disk) is { } refusal)
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

        var info = await _qemuImg.InfoAsync(disk.Path, DiskFormat.Qcow2, forceShare: false, cancellationToken).ConfigureAwait(false);
        if (info.Snapshots.Count > 0)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' has {info.Snapshots.Count} internal snapshot(s), which rewriting it would lose: delete them first.");
        }

        if (ImagesBackedBy(disk.Path) is { Count: > 0 } overlays)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{disk.Id}' is the backing file of {string.Join(", ", overlays)}: rewriting it would break them.");
        }

        // A linked clone stays an overlay on its base (named by absolute path, as the temporary copy lies elsewhere).
        var backing = info.BackingFile is { } name ? Path.GetFullPath(name, Path.GetDirectoryName(disk.Path)!) : null;
        var backingFormat = info.BackingFormat == "raw" ? DiskFormat.Raw : DiskFormat.Qcow2;
        var before = info.ActualSize ?? new FileInfo(disk.Path).Length;

        // Written in the pool's .partial folder (same file system) and renamed over the image once whole.
        var partialFolder = Path.Join(_disks.PoolOf(disk.Path) ?? Pools.DefaultPath, PoolFileNames.PartialFolder);
        Directory.CreateDirectory(partialFolder);
        var temporary = Path.Join(partialFolder, $"{Path.GetFileName(disk.Path)}.compress-{Guid.NewGuid():N}");
        var progress = _progress.For(taskId);
        try
        {
            await _qemuImg.CompressAsync(disk.Path, temporary, backing, info.BackingFile is null ? null : backingFormat,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(disk.Path));
            File.Move(temporary, disk.Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        var after = (await _qemuImg.InfoAsync(disk.Path, DiskFormat.Qcow2, forceShare: false, cancellationToken).ConfigureAwait(false)).ActualSize ?? new FileInfo(disk.Path).Length;
        DiskLog.Compressed(_logger, entry.Uuid, disk.Id, before, after);
        return AgentReply.Success(entry.Report($"disk-compressed ({before} bytes on the host before, {after} after)"));
    }

    /// <summary>Null with the VM's definition and disk, or the reply that refuses the action.</summary>
    private static AgentReply? FindDisk(VmEntry entry, string? diskId, out VmDefinition definition, out DiskDefinition disk)
    {
        definition = entry.Definition!;
        disk = null!;
        if (entry.Definition is null)
        {
            return NoDefinition(entry);
        }

        if (definition.Disks.FirstOrDefault(d => d.Id == diskId) is not { } found)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' has no disk '{diskId}'.");
        }

        disk = found;
        return null;
    }

    private static VmDefinition WithDisk(VmDefinition definition, DiskDefinition disk) =>
        definition with { Disks = [.. definition.Disks.Select(d => d.Id == disk.Id ? disk : d)] };

    /// <summary>Why the disk's image must outlive the disk (outside the pools, used by another VM, a base of other images), or null.</summary>
    private string? WhyKeepImage(VmDefinition definition, DiskDefinition disk)
    {
        if (!_disks.Contains(disk.Path))
        {
            return "it lies outside this host's pools";
        }

        if (Entries().FirstOrDefault(e => e.Uuid != definition.Uuid && e.Definition is { } other && other.Disks.Any(d => d.Path == disk.Path)) is { } user)
        {
            return $"VM '{user.Name}' uses it too";
        }

        return ImagesBackedBy(disk.Path) is { Count: > 0 } overlays ? $"it is the backing file of {string.Join(", ", overlays)}" : null;
    }

    /// <summary>The disks on this host (as "VM 'x' disk y") whose qcow2 image names <paramref name="path"/> as its backing file.</summary>
    private List<string> ImagesBackedBy(string path)
    {
        var full = Path.GetFullPath(path);
        return [.. Entries()
            .SelectMany(e => (e.Definition?.Disks ?? []).Select(d => (Entry: e, Disk: d)))
            .Where(x => x.Disk.Format == DiskFormat.Qcow2 && x.Disk.Path != path && BackingFileReader.Read(x.Disk.Path) is { } backing
                && Path.GetFullPath(backing, Path.GetDirectoryName(x.Disk.Path)!) == full)
            .Select(x => $"VM '{x.Entry.Name}' disk {x.Disk.Id}")];
    }

    /// <summary>Whether a QOM object with this id exists in the running QEMU.</summary>
    private static async Task<bool> HasObjectAsync(QmpClient qmp, string id, CancellationToken cancellationToken)
    {
        try
        {
            await qmp.QomGetAsync(id, "type", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (QmpException ex) when (ex.ErrorClass is "DeviceNotFound" or "GenericError")
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="body"/> with the disk's key in a 0600 file in a 0700 temporary folder, deleted after.</summary>
    private async Task WithDiskKeyFileAsync(Guid uuid, DiskDefinition disk, Func<string, Task> body)
    {
        if (!DiskKeysOf(uuid).TryGetValue(disk.Id, out var key))
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
