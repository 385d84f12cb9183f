using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Snapshots;
using WebVirt.Host.Agent.Templates;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Backups;

/// <summary>
/// Backups: a running VM's disks are copied by QEMU itself (drive-backup, compressed qcow2, the disk as it was
/// when the job started), a stopped VM's by qemu-img convert -c. Backups outlive their VM: listing, verifying
/// and restoring as a new VM need only the backup (and, for encrypted disks, the disks' keys from the panel).
/// An encrypted disk's backup is encrypted with the disk's own key (LUKS qcow2) and written uncompressed, since
/// qcow2 refuses compression together with encryption; it is sparse, so unused clusters still take no space.
/// </summary>
internal sealed class VmBackups(
    VmRegistry registry,
    VmSupervisor supervisor,
    QemuImg qemuImg,
    BackupStore backupStore,
    DiskKeyRing keys,
    ImageUsers users,
    VmClones cloner,
    VmDefinitions definitions,
    ILogger<VmBackups> logger)
{
    public const int MaxKeepLast = 1000;

    public Task<AgentReply> BackupVm(BackupRequest request)
    {
        if (request is null || request.KeepLast is < 0 or > MaxKeepLast)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"keepLast must be between 0 (keep all) and {MaxKeepLast}."));
        }

        return registry.RunAsync(request.VmUuid, VmOperations.Backup, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReplies.NoDefinition(entry);
            }

            if (definition.Disks.Count == 0)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' has no disks to back up.");
            }

            var id = BackupStore.NewId(DateTimeOffset.UtcNow);
            var partial = backupStore.CreatePartial(entry.Uuid, id);
            var progress = registry.Progress.For(request.TaskId);
            try
            {
                for (var i = 0; i < definition.Disks.Count; i++)
                {
                    var disk = definition.Disks[i];
                    var target = Path.Combine(partial, BackupStore.DiskFile(disk.Id));
                    var done = i;
                    var share = progress is null ? null : new SynchronousProgress(f => progress.Report((done + f) / definition.Disks.Count));
                    if (disk.Encrypted)
                    {
                        await BackUpEncryptedDiskAsync(entry, disk, target, share, cancellationToken).ConfigureAwait(false);
                    }
                    else if (entry.Run is { } run)
                    {
                        var size = (await qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: true, cancellationToken).ConfigureAwait(false)).VirtualSize;
                        await qemuImg.CreateAsync(target, DiskFormat.Qcow2, size, cancellationToken).ConfigureAwait(false);
                        supervisor.HandToQemu(entry.Uuid, target);
                        var jobId = $"webvirt-backup-{disk.Id}-{Guid.NewGuid():N}";
                        await run.Process.Qmp.DriveBackupAsync(jobId, disk.Id, target, cancellationToken).ConfigureAwait(false);
                        await run.Process.Qmp.WaitForJobAsync(jobId, share, VmSnapshots.JobPollInterval, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await qemuImg.ConvertAsync(disk.Path, disk.Format, target, DiskFormat.Qcow2, compress: true,
                            share is null ? null : new SynchronousProgress(percent => share.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
                    }
                }

                var backup = await backupStore.CommitAsync(partial, entry.Uuid, id, definition, cancellationToken).ConfigureAwait(false);
                var removed = ApplyRetention(entry.Uuid, request.KeepLast);
                VmHostLog.BackedUp(logger, entry.Uuid, entry.Name, backup.Id, backup.SizeBytes, removed);
                var encrypted = backup.Encrypted ? ", encrypted disks kept encrypted (uncompressed)" : "";
                return AgentReply.Success(entry.Report($"backup {backup.Id} ({backup.SizeBytes} bytes){encrypted}{(removed > 0 ? $", {removed} old backups removed" : "")}"));
            }
            catch
            {
                BackupStore.DeletePartial(partial);
                throw;
            }
        });
    }

    /// <summary>Read-only; works for VMs that no longer exist, whose backups are still kept.</summary>
    public Task<BackupListReply> ListBackups(Guid uuid)
    {
        try
        {
            return Task.FromResult(new BackupListReply(AgentReply.Success(), backupStore.List(uuid)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(new BackupListReply(AgentReply.Failure(AgentErrorKind.Failed, $"Could not list the backups of VM {uuid}: {ex.Message}"), []));
        }
    }

    /// <summary>Checks every file against its SHA-256 and every disk image with qemu-img check.</summary>
    public Task<AgentReply> VerifyBackup(Guid uuid, string backupId) => registry.Track(VerifyBackupAsync(uuid, backupId));

    public Task<AgentReply> RestoreBackup(RestoreRequest request)
    {
        if (request is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The restore request is missing."));
        }

        return request.Target is null
            ? registry.RunAsync(request.VmUuid, VmOperations.Restore, (entry, cancellationToken) => RestoreOverAsync(entry, request, cancellationToken))
            : registry.Track(RestoreAsNewAsync(request, request.Target));
    }

    private async Task<AgentReply> VerifyBackupAsync(Guid uuid, string backupId)
    {
        try
        {
            if (backupStore.Read(uuid, backupId) is not { } backup)
            {
                return NoSuchBackup(uuid, backupId);
            }

            if (await backupStore.VerifyChecksumsAsync(backup, registry.Stopping).ConfigureAwait(false) is { } damage)
            {
                return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backupId} failed verification: {damage}");
            }

            foreach (var disk in backup.Definition.Disks)
            {
                var image = Path.Combine(backupStore.FolderOf(uuid, backupId), BackupStore.DiskFile(disk.Id));
                ImageCheckResult check;
                using (var key = keys.KeyFileOf(uuid, disk))
                {
                    check = key is null
                        ? await qemuImg.CheckAsync(image, DiskFormat.Qcow2, registry.Stopping).ConfigureAwait(false)
                        : await qemuImg.CheckEncryptedAsync(image, key.Path, registry.Stopping).ConfigureAwait(false);
                }

                if (check.Corruptions > 0 || check.CheckErrors > 0)
                {
                    return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backupId} failed verification: the image of disk '{disk.Id}' is corrupt.");
                }
            }

            return AgentReply.Success();
        }
        catch (Exception ex) when (ex is ImageException or IOException or UnauthorizedAccessException)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backupId} failed verification: {ex.Message}");
        }
    }

    private async Task<AgentReply> RestoreAsNewAsync(RestoreRequest request, VmDefinition requested)
    {
        if (backupStore.Read(request.VmUuid, request.BackupId) is not { } backup)
        {
            return NoSuchBackup(request.VmUuid, request.BackupId);
        }

        var target = requested with { IsTemplate = false, Autostart = false };
        if (cloner.CheckClone(backup.Definition, target, linked: false) is { } problem)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, problem);
        }

        var created = new List<string>();
        try
        {
            if (await backupStore.VerifyChecksumsAsync(backup, registry.Stopping).ConfigureAwait(false) is { } damage)
            {
                return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backup.Id} cannot be restored: {damage}");
            }

            var progress = registry.Progress.For(request.TaskId);
            var folder = backupStore.FolderOf(backup.VmUuid, backup.Id);
            for (var i = 0; i < backup.Definition.Disks.Count; i++)
            {
                var to = target.Disks.Single(d => d.Id == backup.Definition.Disks[i].Id);
                created.Add(to.Path);
                var done = i;
                await RestoreDiskAsync(backup, backup.Definition.Disks[i], Path.Combine(folder, BackupStore.DiskFile(to.Id)), to.Path, to.Format,
                    progress is null ? null : new SynchronousProgress(p => progress.Report((done + (p / 100)) / backup.Definition.Disks.Count)), registry.Stopping)
                    .ConfigureAwait(false);
            }

            var defined = await definitions.DefineVm(target, []).ConfigureAwait(false);
            if (!defined.Ok)
            {
                VmClones.DeleteFiles(created);
                return defined;
            }

            VmHostLog.Restored(logger, backup.VmUuid, backup.Id, target.Uuid, target.Name);
            return defined with { Vm = defined.Vm! with { Reason = $"restored from backup {backup.Id}" } };
        }
        catch (Exception ex) when (ex is ImageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            VmClones.DeleteFiles(created.Where(File.Exists));
            return AgentReply.Failure(AgentErrorKind.Failed, $"Could not restore backup {request.BackupId}: {ex.Message}");
        }
    }

    private async Task<AgentReply> RestoreOverAsync(VmEntry entry, RestoreRequest request, CancellationToken cancellationToken)
    {
        if (entry.Definition is not { } definition)
        {
            return AgentReplies.NoDefinition(entry);
        }

        if (entry.Run is not null || supervisor.IsRunning(entry.Uuid))
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop it before restoring over it.");
        }

        if (definition.IsTemplate && users.LinkedClonesOf(definition) is { Count: > 0 } clones)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"Template '{entry.Name}' has linked clones ({string.Join(", ", clones)}): restoring over its disks would corrupt them.");
        }

        if (backupStore.Read(entry.Uuid, request.BackupId) is not { } backup)
        {
            return NoSuchBackup(entry.Uuid, request.BackupId);
        }

        if (backup.Definition.Disks.FirstOrDefault(b => definition.Disks.All(d => d.Id != b.Id)) is { } gone)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' no longer has disk '{gone.Id}' of the backup: restore it as a new VM instead.");
        }

        if (backup.Definition.Disks.FirstOrDefault(b => definition.Disks.Single(d => d.Id == b.Id).Encrypted != b.Encrypted) is { } changed)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict,
                $"Disk '{changed.Id}' was {(changed.Encrypted ? "" : "not ")}encrypted in the backup and is {(changed.Encrypted ? "not " : "")}now: restore it as a new VM instead.");
        }

        if (await backupStore.VerifyChecksumsAsync(backup, cancellationToken).ConfigureAwait(false) is { } damage)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backup.Id} cannot be restored: {damage}");
        }

        // Every disk is restored beside its original first; the originals are replaced only once all copies are whole.
        var staged = new List<(string Staged, string Disk)>();
        try
        {
            var progress = registry.Progress.For(request.TaskId);
            var folder = backupStore.FolderOf(backup.VmUuid, backup.Id);
            for (var i = 0; i < backup.Definition.Disks.Count; i++)
            {
                var disk = definition.Disks.Single(d => d.Id == backup.Definition.Disks[i].Id);
                var temporary = Path.Combine(Path.GetDirectoryName(disk.Path)!, $".{Path.GetFileName(disk.Path)}.restore-{Guid.NewGuid():N}");
                staged.Add((temporary, disk.Path));
                var done = i;
                await RestoreDiskAsync(backup, backup.Definition.Disks[i], Path.Combine(folder, BackupStore.DiskFile(disk.Id)), temporary, disk.Format,
                    progress is null ? null : new SynchronousProgress(p => progress.Report((done + (p / 100)) / backup.Definition.Disks.Count)), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            VmClones.DeleteFiles(staged.Select(s => s.Staged).Where(File.Exists));
            throw;
        }

        foreach (var (temporary, disk) in staged)
        {
            File.Move(temporary, disk, overwrite: true);
        }

        // The restored images hold none of the VM's snapshots.
        File.Delete(SnapshotCatalog.FileOf(supervisor.PathsFor(entry.Uuid)));
        VmHostLog.Restored(logger, entry.Uuid, backup.Id, entry.Uuid, entry.Name);
        return AgentReply.Success(entry.Report($"restored from backup {backup.Id}"));
    }

    /// <summary>
    /// An encrypted disk's backup: a new LUKS qcow2 with the disk's key. A stopped VM's disk is copied by qemu-img; a running
    /// one by QEMU into a node opened with the secret object QEMU already holds for the disk (drive-backup takes no key).
    /// </summary>
    private async Task BackUpEncryptedDiskAsync(VmEntry entry, DiskDefinition disk, string target, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (entry.Run is not { } run)
        {
            using var key = keys.KeyFileOf(entry.Uuid, disk)!;
            await qemuImg.ConvertEncryptedAsync(disk.Path, target, key.Path,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
            return;
        }

        var size = (await qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: true, cancellationToken).ConfigureAwait(false)).VirtualSize;
        using (var key = keys.KeyFileOf(entry.Uuid, disk)!)
        {
            await qemuImg.CreateEncryptedAsync(target, size, key.Path, cancellationToken).ConfigureAwait(false);
        }

        supervisor.HandToQemu(entry.Uuid, target);
        var qmp = run.Process.Qmp;
        var node = $"backup{Guid.NewGuid():N}"[..24];
        await qmp.BlockdevAddEncryptedQcow2Async(node, target, QemuCommandLine.DiskSecretId(disk.Id), cancellationToken).ConfigureAwait(false);
        try
        {
            var jobId = $"webvirt-backup-{disk.Id}-{Guid.NewGuid():N}";
            await qmp.BlockdevBackupAsync(jobId, disk.Id, node, cancellationToken).ConfigureAwait(false);
            await qmp.WaitForJobAsync(jobId, progress, VmSnapshots.JobPollInterval, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Releases QEMU's hold on the target; a failure here must not hide why the backup itself failed.
            try
            {
                await qmp.BlockdevDelAsync(node, CancellationToken.None).ConfigureAwait(false);
            }
            catch (QmpException ex)
            {
                VmHostLog.BackupNodeNotRemoved(logger, entry.Uuid, node, ex.Message);
            }
        }
    }

    /// <summary>Writes one disk of a backup to <paramref name="destination"/>; an encrypted one stays encrypted with the key of the backed-up VM's disk.</summary>
    private async Task RestoreDiskAsync(
        BackupInfo backup, DiskDefinition disk, string image, string destination, DiskFormat format, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var key = keys.KeyFileOf(backup.VmUuid, disk);
        if (key is null)
        {
            await qemuImg.ConvertAsync(image, DiskFormat.Qcow2, destination, format, compress: false, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await qemuImg.ConvertEncryptedAsync(image, destination, key.Path, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private int ApplyRetention(Guid uuid, int keepLast)
    {
        if (keepLast <= 0)
        {
            return 0;
        }

        var old = backupStore.List(uuid).Skip(keepLast).ToList();
        foreach (var backup in old)
        {
            backupStore.Delete(uuid, backup.Id);
        }

        return old.Count;
    }

    private static AgentReply NoSuchBackup(Guid uuid, string id) =>
        AgentReply.Failure(AgentErrorKind.NotFound, $"There is no backup '{id}' of VM {uuid} on this host.");
}
