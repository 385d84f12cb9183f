using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
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

    /// <summary>How long a guest may take to release a hot-unplugged disk (ACPI or PCIe eject) before the detach is given up.</summary>
    internal TimeSpan DiskUnplugTimeout { get; set; } = DiskHotplug.DefaultUnplugTimeout;

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
                    if (await DiskHotplug.UnplugAsync(running.Process, disk, DiskUnplugTimeout, cancellationToken).ConfigureAwait(false) is { } leftover)
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
                if (await DiskHotplug.UnplugAsync(run.Process, disk, DiskUnplugTimeout, CancellationToken.None).ConfigureAwait(false) is { } leftover)
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
}
