using WebVirt.Host.Agent.Backups;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// Backups: a running VM's disks are copied by QEMU itself (drive-backup, compressed qcow2, the disk as it was
/// when the job started), a stopped VM's by qemu-img convert -c. Backups outlive their VM: listing, verifying
/// and restoring as a new VM need only the backup (and, for encrypted disks, the disks' keys from the panel).
/// An encrypted disk's backup is encrypted with the disk's own key (LUKS qcow2) and written uncompressed, since
/// qcow2 refuses compression together with encryption; it is sparse, so unused clusters still take no space.
/// </summary>
internal sealed partial class VmHost
{
    public const int MaxKeepLast = 1000;

    public Task<AgentReply> BackupVm(BackupRequest request)
    {
        if (request is null || request.KeepLast is < 0 or > MaxKeepLast)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, $"keepLast must be between 0 (keep all) and {MaxKeepLast}."));
        }

        return RunAsync(request.VmUuid, VmOperations.Backup, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return NoDefinition(entry);
            }

            if (definition.Disks.Count == 0)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' has no disks to back up.");
            }

            var id = BackupStore.NewId(DateTimeOffset.UtcNow);
            var partial = _backups.CreatePartial(entry.Uuid, id);
            var progress = _progress.For(request.TaskId);
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
                        var size = (await _qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: true, cancellationToken).ConfigureAwait(false)).VirtualSize;
                        await _qemuImg.CreateAsync(target, DiskFormat.Qcow2, size, cancellationToken).ConfigureAwait(false);
                        _supervisor.HandToQemu(target);
                        var jobId = $"webvirt-backup-{disk.Id}-{Guid.NewGuid():N}";
                        await run.Process.Qmp.DriveBackupAsync(jobId, disk.Id, target, cancellationToken).ConfigureAwait(false);
                        await run.Process.Qmp.WaitForJobAsync(jobId, share, JobPollInterval, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await _qemuImg.ConvertAsync(disk.Path, disk.Format, target, DiskFormat.Qcow2, compress: true,
                            share is null ? null : new SynchronousProgress(percent => share.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
                    }
                }

                var backup = await _backups.CommitAsync(partial, entry.Uuid, id, definition, cancellationToken).ConfigureAwait(false);
                var removed = ApplyRetention(entry.Uuid, request.KeepLast);
                VmHostLog.BackedUp(_logger, entry.Uuid, entry.Name, backup.Id, backup.SizeBytes, removed);
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
            return Task.FromResult(new BackupListReply(AgentReply.Success(), _backups.List(uuid)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(new BackupListReply(AgentReply.Failure(AgentErrorKind.Failed, $"Could not list the backups of VM {uuid}: {ex.Message}"), []));
        }
    }

    /// <summary>Checks every file against its SHA-256 and every disk image with qemu-img check.</summary>
    public Task<AgentReply> VerifyBackup(Guid uuid, string backupId) => Track(VerifyBackupAsync(uuid, backupId));

    public Task<AgentReply> RestoreBackup(RestoreRequest request)
    {
        if (request is null)
        {
            return Task.FromResult(AgentReply.Failure(AgentErrorKind.Invalid, "The restore request is missing."));
        }

        return request.Target is null
            ? RunAsync(request.VmUuid, VmOperations.Restore, (entry, cancellationToken) => RestoreOverAsync(entry, request, cancellationToken))
            : Track(RestoreAsNewAsync(request, request.Target));
    }

    private async Task<AgentReply> VerifyBackupAsync(Guid uuid, string backupId)
    {
        try
        {
            if (_backups.Read(uuid, backupId) is not { } backup)
            {
                return NoSuchBackup(uuid, backupId);
            }

            if (await _backups.VerifyChecksumsAsync(backup, _stopping.Token).ConfigureAwait(false) is { } damage)
            {
                return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backupId} failed verification: {damage}");
            }

            foreach (var disk in backup.Definition.Disks)
            {
                var image = Path.Combine(_backups.FolderOf(uuid, backupId), BackupStore.DiskFile(disk.Id));
                ImageCheckResult check;
                using (var key = KeyFileOf(uuid, disk))
                {
                    check = key is null
                        ? await _qemuImg.CheckAsync(image, DiskFormat.Qcow2, _stopping.Token).ConfigureAwait(false)
                        : await _qemuImg.CheckEncryptedAsync(image, key.Path, _stopping.Token).ConfigureAwait(false);
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
        if (_backups.Read(request.VmUuid, request.BackupId) is not { } backup)
        {
            return NoSuchBackup(request.VmUuid, request.BackupId);
        }

        var target = requested with { IsTemplate = false, Autostart = false };
        if (CheckClone(backup.Definition, target, linked: false) is { } problem)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, problem);
        }

        var created = new List<string>();
        try
        {
            if (await _backups.VerifyChecksumsAsync(backup, _stopping.Token).ConfigureAwait(false) is { } damage)
            {
                return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backup.Id} cannot be restored: {damage}");
            }

            var progress = _progress.For(request.TaskId);
            var folder = _backups.FolderOf(backup.VmUuid, backup.Id);
            for (var i = 0; i < backup.Definition.Disks.Count; i++)
            {
                var to = target.Disks.Single(d => d.Id == backup.Definition.Disks[i].Id);
                created.Add(to.Path);
                var done = i;
                await RestoreDiskAsync(backup, backup.Definition.Disks[i], Path.Combine(folder, BackupStore.DiskFile(to.Id)), to.Path, to.Format,
                    progress is null ? null : new SynchronousProgress(p => progress.Report((done + (p / 100)) / backup.Definition.Disks.Count)), _stopping.Token)
                    .ConfigureAwait(false);
            }

            var defined = await DefineVm(target, []).ConfigureAwait(false);
            if (!defined.Ok)
            {
                DeleteFiles(created);
                return defined;
            }

            VmHostLog.Restored(_logger, backup.VmUuid, backup.Id, target.Uuid, target.Name);
            return defined with { Vm = defined.Vm! with { Reason = $"restored from backup {backup.Id}" } };
        }
        catch (Exception ex) when (ex is ImageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            DeleteFiles(created.Where(File.Exists));
            return AgentReply.Failure(AgentErrorKind.Failed, $"Could not restore backup {request.BackupId}: {ex.Message}");
        }
    }

    private async Task<AgentReply> RestoreOverAsync(VmEntry entry, RestoreRequest request, CancellationToken cancellationToken)
    {
        if (entry.Definition is not { } definition)
        {
            return NoDefinition(entry);
        }

        if (entry.Run is not null || _supervisor.IsRunning(entry.Uuid))
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is running: stop it before restoring over it.");
        }

        if (definition.IsTemplate && LinkedClonesOf(definition) is { Count: > 0 } clones)
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"Template '{entry.Name}' has linked clones ({string.Join(", ", clones)}): restoring over its disks would corrupt them.");
        }

        if (_backups.Read(entry.Uuid, request.BackupId) is not { } backup)
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

        if (await _backups.VerifyChecksumsAsync(backup, cancellationToken).ConfigureAwait(false) is { } damage)
        {
            return AgentReply.Failure(AgentErrorKind.Failed, $"Backup {backup.Id} cannot be restored: {damage}");
        }

        // Every disk is restored beside its original first; the originals are replaced only once all copies are whole.
        var staged = new List<(string Staged, string Disk)>();
        try
        {
            var progress = _progress.For(request.TaskId);
            var folder = _backups.FolderOf(backup.VmUuid, backup.Id);
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
            DeleteFiles(staged.Select(s => s.Staged).Where(File.Exists));
            throw;
        }

        foreach (var (temporary, disk) in staged)
        {
            File.Move(temporary, disk, overwrite: true);
        }

        // The restored images hold none of the VM's snapshots.
        File.Delete(SnapshotCatalog.FileOf(PathsFor(entry.Uuid)));
        VmHostLog.Restored(_logger, entry.Uuid, backup.Id, entry.Uuid, entry.Name);
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
            using var key = KeyFileOf(entry.Uuid, disk)!;
            await _qemuImg.ConvertEncryptedAsync(disk.Path, target, key.Path,
                progress is null ? null : new SynchronousProgress(percent => progress.Report(percent / 100)), cancellationToken).ConfigureAwait(false);
            return;
        }

        var size = (await _qemuImg.InfoAsync(disk.Path, disk.Format, forceShare: true, cancellationToken).ConfigureAwait(false)).VirtualSize;
        using (var key = KeyFileOf(entry.Uuid, disk)!)
        {
            await _qemuImg.CreateEncryptedAsync(target, size, key.Path, cancellationToken).ConfigureAwait(false);
        }

        _supervisor.HandToQemu(target);
        var qmp = run.Process.Qmp;
        var node = $"backup{Guid.NewGuid():N}"[..24];
        await qmp.BlockdevAddEncryptedQcow2Async(node, target, QemuCommandLine.DiskSecretId(disk.Id), cancellationToken).ConfigureAwait(false);
        try
        {
            var jobId = $"webvirt-backup-{disk.Id}-{Guid.NewGuid():N}";
            await qmp.BlockdevBackupAsync(jobId, disk.Id, node, cancellationToken).ConfigureAwait(false);
            await qmp.WaitForJobAsync(jobId, progress, JobPollInterval, cancellationToken).ConfigureAwait(false);
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
                VmHostLog.BackupNodeNotRemoved(_logger, entry.Uuid, node, ex.Message);
            }
        }
    }

    /// <summary>Writes one disk of a backup to <paramref name="destination"/>; an encrypted one stays encrypted with the key of the backed-up VM's disk.</summary>
    private async Task RestoreDiskAsync(
        BackupInfo backup, DiskDefinition disk, string image, string destination, DiskFormat format, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        using var key = KeyFileOf(backup.VmUuid, disk);
        if (key is null)
        {
            await _qemuImg.ConvertAsync(image, DiskFormat.Qcow2, destination, format, compress: false, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _qemuImg.ConvertEncryptedAsync(image, destination, key.Path, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private int ApplyRetention(Guid uuid, int keepLast)
    {
        if (keepLast <= 0)
        {
            return 0;
        }

        var old = _backups.List(uuid).Skip(keepLast).ToList();
        foreach (var backup in old)
        {
            _backups.Delete(uuid, backup.Id);
        }

        return old.Count;
    }

    private static AgentReply NoSuchBackup(Guid uuid, string id) =>
        AgentReply.Failure(AgentErrorKind.NotFound, $"There is no backup '{id}' of VM {uuid} on this host.");
}
