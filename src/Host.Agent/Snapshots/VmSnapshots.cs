using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Rules.Snapshots;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Snapshots;

/// <summary>
/// Internal qcow2 snapshots. A running VM is snapshotted through QMP (snapshot-save with its RAM, or an atomic
/// disk-only transaction), a stopped one with qemu-img. UEFI variables are qcow2 and snapshotted with the disks.
/// </summary>
internal sealed class VmSnapshots(VmRegistry registry, VmSupervisor supervisor, QemuImg qemuImg, DiskKeyRing keys, ILogger<VmSnapshots> logger)
{
    /// <summary>The QEMU node name of the UEFI variables store (see QemuCommandLine).</summary>
    private const string OvmfVarsNode = "ovmfvars";

    /// <summary>How often a QEMU job (snapshot, backup) is asked how far it got.</summary>
    internal static readonly TimeSpan JobPollInterval = TimeSpan.FromMilliseconds(250);

    public Task<AgentReply> TakeSnapshot(SnapshotRequest request)
    {
        if (request is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The snapshot request is missing."));
        }

        return registry.RunAsync(request.VmUuid, VmOperations.Snapshot, async (entry, cancellationToken) =>
        {
            if (SnapshotNameRules.Check(request.Name) is { } nameProblem)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"Snapshot name {nameProblem}.");
            }

            if (SnapshotNameRules.CheckDescription(request.Description) is { } descriptionProblem)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"Snapshot description {descriptionProblem}.");
            }

            if (entry.Definition is not { } definition)
            {
                return AgentReplies.NoDefinition(entry);
            }

            if (definition.IsTemplate)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is a template: its disks must not change under its clones.");
            }

            if (request.WithMemory && definition.Disks.Any(d => d.Encrypted))
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}': {SnapshotMemoryRules.EncryptedDisksRefusal}");
            }

            var paths = supervisor.PathsFor(entry.Uuid);
            var catalog = SnapshotCatalog.Load(paths);
            if (catalog.Find(request.Name) is not null)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' already has a snapshot named '{request.Name}'.");
            }

            if (SnapshotDevices(definition, paths, out var devices) is { } deviceProblem)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, deviceProblem);
            }

            var progress = registry.Progress.For(request.TaskId);
            string? vmStateDisk = null;
            if (entry.Run is { } run)
            {
                var qmp = run.Process.Qmp;
                if (request.WithMemory)
                {
                    vmStateDisk = devices[0];
                    var jobId = JobId("save");
                    await qmp.SnapshotSaveAsync(jobId, request.Name, vmStateDisk, devices, cancellationToken).ConfigureAwait(false);
                    await qmp.WaitForJobAsync(jobId, progress, JobPollInterval, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await qmp.InternalDiskSnapshotAsync(request.Name, devices, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                if (request.WithMemory)
                {
                    return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is not running: there is no memory to save. Take the snapshot without memory.");
                }

                await SnapshotImagesAsync(definition, paths, devices, request.Name, progress, cancellationToken).ConfigureAwait(false);
            }

            catalog.Add(new VmSnapshot
            {
                Name = request.Name,
                Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
                CreatedAt = DateTimeOffset.UtcNow,
                WithMemory = vmStateDisk is not null,
                VmStateDisk = vmStateDisk,
                Devices = devices,
            }).Save(paths);
            VmHostLog.SnapshotTaken(logger, entry.Uuid, entry.Name, request.Name, vmStateDisk is not null);
            return AgentReply.Success(entry.Report("snapshot-taken"));
        });
    }

    public Task<AgentReply> RevertSnapshot(Guid uuid, string name, Guid? taskId) =>
        registry.RunAsync(uuid, VmOperations.RevertSnapshot, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReplies.NoDefinition(entry);
            }

            if (definition.IsTemplate)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is a template: its disks must not change under its clones.");
            }

            var paths = supervisor.PathsFor(entry.Uuid);
            var catalog = SnapshotCatalog.Load(paths);
            if (catalog.Find(name) is not { } snapshot)
            {
                return NoSuchSnapshot(entry, name);
            }

            var progress = registry.Progress.For(taskId);
            string reason;
            if (entry.Run is { } run)
            {
                if (!snapshot.WithMemory)
                {
                    return AgentReply.Failure(AgentErrorKind.Conflict,
                        $"Snapshot '{name}' holds no memory: a running VM cannot return to it. Stop VM '{entry.Name}' first.");
                }

                var jobId = JobId("load");
                await run.Process.Qmp.SnapshotLoadAsync(jobId, name, snapshot.VmStateDisk!, snapshot.Devices, cancellationToken).ConfigureAwait(false);
                await run.Process.Qmp.WaitForJobAsync(jobId, progress, JobPollInterval, cancellationToken).ConfigureAwait(false);
                reason = "snapshot-reverted";
            }
            else
            {
                await ApplyToImagesAsync(definition, paths, snapshot.Devices, ImageSnapshotAction.Apply, name, progress, cancellationToken).ConfigureAwait(false);

                // A stopped VM has no RAM to load into: its disks return to the snapshot and the next start boots them.
                reason = snapshot.WithMemory ? "snapshot-reverted (disks only: the VM is stopped)" : "snapshot-reverted";
            }

            (catalog with { Current = name }).Save(paths);
            VmHostLog.SnapshotReverted(logger, entry.Uuid, entry.Name, name);
            return AgentReply.Success(entry.Report(reason));
        });

    public Task<AgentReply> DeleteSnapshot(Guid uuid, string name, Guid? taskId) =>
        registry.RunAsync(uuid, VmOperations.DeleteSnapshot, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReplies.NoDefinition(entry);
            }

            var paths = supervisor.PathsFor(entry.Uuid);
            var catalog = SnapshotCatalog.Load(paths);
            if (catalog.Find(name) is not { } snapshot)
            {
                return NoSuchSnapshot(entry, name);
            }

            var progress = registry.Progress.For(taskId);
            if (entry.Run is { } run)
            {
                var jobId = JobId("delete");
                await run.Process.Qmp.SnapshotDeleteAsync(jobId, name, snapshot.Devices, cancellationToken).ConfigureAwait(false);
                await run.Process.Qmp.WaitForJobAsync(jobId, progress, JobPollInterval, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ApplyToImagesAsync(definition, paths, snapshot.Devices, ImageSnapshotAction.Delete, name, progress, cancellationToken).ConfigureAwait(false);
            }

            catalog.Remove(name).Save(paths);
            VmHostLog.SnapshotDeleted(logger, entry.Uuid, entry.Name, name);
            return AgentReply.Success(entry.Report("snapshot-deleted"));
        });

    /// <summary>Read-only, so not serialized with the VM's operations.</summary>
    public Task<SnapshotListReply> ListSnapshots(Guid uuid)
    {
        if (registry.TryGetEntry(uuid) is not { IsVisible: true } entry)
        {
            return Task.FromResult(new SnapshotListReply(AgentReplies.NotFound(uuid), [], null));
        }

        try
        {
            var catalog = SnapshotCatalog.Load(supervisor.PathsFor(uuid));
            return Task.FromResult(new SnapshotListReply(AgentReply.Success(entry.Report()), catalog.Snapshots, catalog.Current));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return Task.FromResult(new SnapshotListReply(AgentReply.Failure(AgentErrorKind.Failed, $"Could not read the snapshots of VM '{entry.Name}': {ex.Message}"), [], null));
        }
    }

    /// <summary>
    /// The node names whose images take part in a snapshot: every writable disk (qcow2, the first one holds the
    /// RAM) and the UEFI variables. Null when they can, else why not: a writable raw disk cannot hold a snapshot.
    /// </summary>
    private static string? SnapshotDevices(VmDefinition definition, VmPaths paths, out List<string> devices)
    {
        devices = [];
        foreach (var disk in definition.Disks.Where(d => !d.ReadOnly))
        {
            if (disk.Format != DiskFormat.Qcow2)
            {
                return $"Disk '{disk.Id}' of VM '{definition.Name}' is {disk.Format.ToString().ToLowerInvariant()}: only qcow2 disks can hold snapshots. Convert it or detach it first.";
            }

            devices.Add(disk.Id);
        }

        if (devices.Count == 0)
        {
            return $"VM '{definition.Name}' has no writable qcow2 disk to hold a snapshot.";
        }

        if (definition.Firmware == Firmware.Ovmf && File.Exists(paths.OvmfVars))
        {
            devices.Add(OvmfVarsNode);
        }

        return null;
    }

    /// <summary>Snapshots every image of a stopped VM; if one fails, the snapshots already made are deleted again.</summary>
    private async Task SnapshotImagesAsync(
        VmDefinition definition, VmPaths paths, IReadOnlyList<string> devices, string name, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        try
        {
            foreach (var device in devices)
            {
                await SnapshotImageAsync(definition, paths, device, ImageSnapshotAction.Create, name, cancellationToken).ConfigureAwait(false);
                done.Add(device);
                progress?.Report((double)done.Count / devices.Count);
            }
        }
        catch
        {
            foreach (var device in done)
            {
                try
                {
                    await SnapshotImageAsync(definition, paths, device, ImageSnapshotAction.Delete, name, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ImageException ex)
                {
                    VmHostLog.SnapshotRollbackFailed(logger, definition.Uuid, ImageOf(definition, paths, device), name, ex.Message);
                }
            }

            throw;
        }
    }

    private async Task ApplyToImagesAsync(
        VmDefinition definition, VmPaths paths, IReadOnlyList<string> devices, ImageSnapshotAction action, string name, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        // Only the images the VM still has: a disk detached since the snapshot is no longer the VM's to change.
        var present = devices.Where(d => d == OvmfVarsNode ? File.Exists(paths.OvmfVars) : definition.Disks.Any(disk => disk.Id == d)).ToList();
        for (var i = 0; i < present.Count; i++)
        {
            await SnapshotImageAsync(definition, paths, present[i], action, name, cancellationToken).ConfigureAwait(false);
            progress?.Report((double)(i + 1) / present.Count);
        }
    }

    /// <summary>qemu-img snapshot on one device's image; an encrypted disk is opened with its key, which qemu needs even for snapshots.</summary>
    private async Task SnapshotImageAsync(
        VmDefinition definition, VmPaths paths, string device, ImageSnapshotAction action, string name, CancellationToken cancellationToken)
    {
        using var key = device == OvmfVarsNode ? null : keys.KeyFileOf(definition.Uuid, definition.Disks.Single(d => d.Id == device));
        await (key is null
            ? qemuImg.SnapshotAsync(ImageOf(definition, paths, device), action, name, cancellationToken)
            : qemuImg.SnapshotEncryptedAsync(ImageOf(definition, paths, device), action, name, key.Path, cancellationToken)).ConfigureAwait(false);
    }

    private static string ImageOf(VmDefinition definition, VmPaths paths, string device) =>
        device == OvmfVarsNode ? paths.OvmfVars : definition.Disks.Single(d => d.Id == device).Path;

    private static string JobId(string what) => $"webvirt-snapshot-{what}-{Guid.NewGuid():N}";

    private static AgentReply NoSuchSnapshot(VmEntry entry, string name) =>
        AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' has no snapshot named '{name}'.");
}
