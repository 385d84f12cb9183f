using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Adding a disk to a VM (new, imported, existing) and detaching one, live or stopped. Each checks everything
/// before it changes anything, and undoes its own steps when a later one fails, so a refused or failed action
/// leaves the VM, its definition and the pools as they were.
/// </summary>
internal sealed class DiskAttachments(
    VmRegistry registry,
    VmSupervisor supervisor,
    QemuImg qemuImg,
    VmDefinitionStore store,
    DiskPlacement placement,
    PoolRegistry pools,
    DiskKeyRing keys,
    ImageUsers users,
    ILogger<DiskAttachments> logger)
{
    /// <summary>How long a guest may take to release a hot-unplugged disk (ACPI or PCIe eject) before the detach is given up.</summary>
    internal TimeSpan DiskUnplugTimeout { get; set; } = DiskHotplug.DefaultUnplugTimeout;

    public Task<AgentReply> AddDisk(AddDiskRequest request) =>
        request?.Disk is null
            ? Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The disk to add is missing."))
            : registry.RunAsync(request.Uuid, VmOperations.AddDisk, (entry, cancellationToken) => AddDiskAsync(entry, request, cancellationToken));

    public Task<AgentReply> DetachDisk(Guid uuid, string diskId, bool deleteImage) =>
        registry.RunAsync(uuid, VmOperations.DetachDisk, async (entry, cancellationToken) =>
        {
            if (VmDisks.FindDisk(entry, diskId, out var definition, out var disk) is { } refusal)
            {
                return refusal;
            }

            var live = entry.Run is not null;
            if (live && disk.Bus == DiskBus.Sata)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop the VM to detach a SATA disk.");
            }

            // Decided before anything changes, against the host as it is now.
            var keep = deleteImage ? users.WhyKeepImage(definition, disk) : null;
            if (entry.Run is { } running)
            {
                try
                {
                    if (await DiskHotplug.UnplugAsync(running.Process, disk, DiskUnplugTimeout, cancellationToken).ConfigureAwait(false) is { } leftover)
                    {
                        DiskLog.NodesLeft(logger, entry.Uuid, disk.Id, leftover);
                    }
                }
                catch (TimeoutException ex)
                {
                    return AgentReply.Failure(AgentErrorKind.Failed,
                        $"Disk '{disk.Id}' of VM '{entry.Name}' was not detached: {ex.Message} The guest may still be using it; the VM keeps the disk.");
                }
            }

            var changed = definition with { Disks = [.. definition.Disks.Where(d => d.Id != disk.Id)] };
            store.Save(changed);
            entry.Commit(changed);

            var deleted = false;
            if (deleteImage && keep is null)
            {
                File.Delete(disk.Path);
                deleted = true;
            }
            else if (keep is not null)
            {
                DiskLog.ImageKept(logger, entry.Uuid, disk.Id, disk.Path, keep);
            }

            DiskLog.Detached(logger, entry.Uuid, disk.Id, disk.Path, live, deleted);
            return AgentReply.Success(entry.Report(keep is null ? "disk-detached" : $"disk-detached (image kept: {keep})"));
        });

    private async Task<AgentReply> AddDiskAsync(VmEntry entry, AddDiskRequest request, CancellationToken cancellationToken)
    {
        if (entry.Definition is not { } definition)
        {
            return AgentReplies.NoDefinition(entry);
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
                    await keys.CreateEncryptedDiskAsync(definition, disk, size, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await qemuImg.CreateAsync(disk.Path, disk.Format, size, cancellationToken).ConfigureAwait(false);
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

                var progress = registry.Progress.For(request.TaskId);
                await qemuImg.ConvertAsync(from, format.Format, disk.Path, disk.Format, compress: false,
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
                    supervisor.HandToQemu(definition.Uuid, disk.Path);
                }

                await DiskHotplug.PlugAsync(run.Process, definition, disk, cancellationToken).ConfigureAwait(false);
                plugged = true;
            }

            var changed = definition with { Disks = [.. definition.Disks, disk] };
            store.Save(changed);
            entry.Commit(changed);
            DiskLog.Added(logger, entry.Uuid, disk.Id, source, disk.Path, run is not null);
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

        if (request.SizeBytes is <= 0 or > VmDisks.MaxDiskBytes)
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

        if (placement.CheckInside(disk.Path) is { } outside)
        {
            return Invalid($"Disk '{disk.Id}': {outside}.");
        }

        if (users.UserOf(p => p == disk.Path) is { } user)
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
            if (pools.PoolOf(from) is null || PoolPaths.Normalise(from) != from || new FileInfo(from) is not { Exists: true, LinkTarget: null })
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
            info = await qemuImg.InspectUntrustedAsync(path, cancellationToken).ConfigureAwait(false);
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
                    DiskLog.NodesLeft(logger, entry.Uuid, disk.Id, leftover);
                    return; // QEMU still holds the image: leave it rather than delete it under a running QEMU.
                }
            }
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException)
        {
            DiskLog.RollbackFailed(logger, entry.Uuid, disk.Id, ex.Message);
            return; // QEMU may still hold the image: leave it rather than delete it under a running guest.
        }

        if (created)
        {
            File.Delete(disk.Path);
        }
    }

}
