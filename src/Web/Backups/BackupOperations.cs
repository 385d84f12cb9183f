using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Clones;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Backups;

/// <summary>
/// Backups of a VM as the panel offers them: back up now (VM.Backup and Datastore.AllocateSpace), list, verify,
/// restore as a new VM (VM.Allocate) or over the original, and the VM's schedule. Each change is a task and an audit row.
/// </summary>
internal sealed class BackupOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    TaskLog tasks,
    PermissionService permissions,
    DiskKeyVault keys,
    OperationFinisher finisher,
    VmCommandPipeline pipeline)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(4);

    public async Task<OperationResult> BackupNowAsync(Guid vmId, int keepLast, ClaimsPrincipal user)
    {
        if (await CheckAsync(user, vmId, Privileges.VmBackup) is { } forbidden)
        {
            return forbidden;
        }

        if (!await permissions.HasAsync(user, AclPaths.Root, Privileges.DatastoreAllocateSpace))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You lack {Privileges.DatastoreAllocateSpace}: a backup takes space in a pool.");
        }

        if (keepLast is < 0 or > 1000)
        {
            return new OperationResult(OperationStatus.Invalid, "keepLast: must be between 0 (keep all) and 1000");
        }

        return await RunBackupAsync(vmId, keepLast, Actor.NameOf(user));
    }

    /// <summary>Backs up without a permission check: for the scheduler, which checked when the schedule was saved.</summary>
    public Task<OperationResult> RunBackupAsync(Guid vmId, int keepLast, string userName) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmBackup,
            "vm.backup",
            taskId => agent => agent.BackupVm(new BackupRequest(vmId, keepLast, taskId)),
            vm => $"VM '{vm.Name}' backed up.")
        {
            TaskDetails = keepLast > 0 ? $"keep last {keepLast}" : "keep all",
            Timeout = Timeout,
        }, userName);

    public async Task<(OperationResult? Error, BackupListResponse? List)> ListAsync(Guid vmId, ClaimsPrincipal user)
    {
        if (await CheckAsync(user, vmId, Privileges.VmAudit) is { } forbidden)
        {
            return (forbidden, null);
        }

        var vm = await FindAsync(vmId);
        if (vm is null)
        {
            return (NotFound(vmId), null);
        }

        BackupListReply reply;
        try
        {
            reply = await agents.QueryAsync(vm.HostId, agent => agent.ListBackups(vmId), AgentGateway.DefaultTimeout);
        }
        catch (AgentUnavailableException ex)
        {
            return (new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}': {ex.Message}"), null);
        }

        if (!reply.Result.Ok)
        {
            return (AgentReplies.ToResult(reply.Result, null), null);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var schedule = await db.BackupSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.VmId == vmId);
        return (null, new BackupListResponse(reply.Backups, schedule));
    }

    public Task<OperationResult> VerifyAsync(Guid vmId, string backupId, ClaimsPrincipal user) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmBackup,
            "vm.backup-verify",
            _ => agent => agent.VerifyBackup(vmId, backupId),
            vm => $"Backup {backupId} of VM '{vm.Name}' is intact.")
        {
            TaskDetails = $"backup {backupId}",
            Timeout = Timeout,
        }, user);

    public async Task<OperationResult> RestoreAsync(Guid vmId, string backupId, RestoreBackupRequest request, ClaimsPrincipal user)
    {
        if (await CheckAsync(user, vmId, Privileges.VmBackup) is { } forbidden)
        {
            return forbidden;
        }

        var asNew = !string.IsNullOrEmpty(request.NewName);
        if (asNew && !await permissions.HasAsync(user, AclPaths.Root, Privileges.VmAllocate))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You lack {Privileges.VmAllocate}: restoring as a new VM creates one.");
        }

        var vm = await FindAsync(vmId);
        if (vm is null)
        {
            return NotFound(vmId);
        }

        VmDefinition? target = null;
        if (asNew)
        {
            var (error, list) = await ListAsync(vmId, user);
            if (list?.Backups.FirstOrDefault(b => b.Id == backupId) is not { } backup)
            {
                return error ?? new OperationResult(OperationStatus.NotFound, $"VM '{vm.Name}' has no backup '{backupId}'.");
            }

            target = CloneOperations.CloneDefinition(backup.Definition, new CloneVmRequest { Name = request.NewName }, vm.Host!.ImagePool ?? "");
            var errors = DefinitionValidator.Validate(target).Select(e => e.ToString()).ToList();
            if (errors.Count > 0)
            {
                return new OperationResult(OperationStatus.Invalid, string.Join("; ", errors));
            }

            await using var check = await contexts.CreateDbContextAsync();
            if (await check.Vms.AnyAsync(v => v.HostId == vm.HostId && v.Name == target.Name))
            {
                return new OperationResult(OperationStatus.Invalid, $"name: a VM named '{target.Name}' already exists on host '{vm.Host.Name}'");
            }
        }

        var task = await tasks.StartAsync("vm.restore", "vm", vm.Id.ToString(), vm.Name, Actor.NameOf(user),
            asNew ? $"backup {backupId} as new VM '{request.NewName}'" : $"backup {backupId} over the VM");
        var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name, agent => agent.RestoreBackup(new RestoreRequest(vmId, backupId, target, task.Id)), Timeout);
        if (!reply.Ok || target is null)
        {
            return await finisher.FinishAsync(task.Id, vm.Id, reply, $"VM '{vm.Name}' restored from backup {backupId}.");
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            var record = new VmRecord { Id = target.Uuid, HostId = vm.HostId, Name = target.Name, CreatedAt = DateTimeOffset.UtcNow };
            VmRecordMapper.ApplyDefinition(record, target);
            DiskKeyVault.CopyKeys(vm.Disks, record.Disks);
            record.Description = $"Restored from backup {backupId} of '{vm.Name}'";
            record.DesiredState = VmPowerState.Stopped;
            record.ActualState = VmPowerState.Stopped;
            record.QemuStatus = "stopped";
            db.Vms.Add(record);
            await db.SaveChangesAsync();
        }

        await tasks.AppendAsync(task.Id, $"Created VM '{target.Name}' ({target.Uuid}).");
        return await finisher.FinishAsync(task.Id, target.Uuid, OperationResult.Done($"Backup {backupId} restored as VM '{target.Name}'."));
    }

    public async Task<OperationResult> SetScheduleAsync(Guid vmId, BackupScheduleRequest request, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (await CheckAsync(user, vmId, Privileges.VmBackup) is { } forbidden)
        {
            return forbidden;
        }

        int? dailyAt = null;
        if (!string.IsNullOrEmpty(request.DailyAt))
        {
            if (!TimeOnly.TryParseExact(request.DailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return new OperationResult(OperationStatus.Invalid, "dailyAt: use HH:MM (24-hour, UTC)");
            }

            dailyAt = (time.Hour * 60) + time.Minute;
        }

        if (BackupSchedulePlanner.Check(dailyAt, request.EveryHours, request.KeepLast) is { } problem)
        {
            return new OperationResult(OperationStatus.Invalid, problem);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == vmId && !v.PendingDeletion);
        if (vm is null)
        {
            return NotFound(vmId);
        }

        var task = await tasks.StartAsync("vm.backup-schedule", "vm", vm.Id.ToString(), vm.Name, Actor.NameOf(user),
            $"{(request.Enabled ? "enabled" : "disabled")}, {(dailyAt is not null ? $"daily at {request.DailyAt} UTC" : $"every {request.EveryHours} h")}, keep last {request.KeepLast}");
        var schedule = await db.BackupSchedules.SingleOrDefaultAsync(s => s.VmId == vmId);
        if (schedule is null)
        {
            schedule = new BackupScheduleRecord { VmId = vmId, UserName = Actor.NameOf(user) };
            db.BackupSchedules.Add(schedule);
        }

        schedule.Enabled = request.Enabled;
        schedule.DailyAtMinute = dailyAt;
        schedule.EveryHours = request.EveryHours;
        schedule.KeepLast = request.KeepLast;
        schedule.UserName = Actor.NameOf(user);
        schedule.NextRunAt = BackupSchedulePlanner.Next(dailyAt, request.EveryHours, now);
        await db.SaveChangesAsync();
        return await finisher.FinishAsync(task.Id, vmId, OperationResult.Done($"Backup schedule of VM '{vm.Name}' saved; next run {schedule.NextRunAt:yyyy-MM-dd HH:mm} UTC."));
    }

    private async Task<OperationResult?> CheckAsync(ClaimsPrincipal user, Guid vmId, string privilege) =>
        await permissions.HasOnVmAsync(user, vmId, privilege) ? null : new OperationResult(OperationStatus.Forbidden, $"You lack {privilege} on VM {vmId}.");

    private async Task<VmRecord?> FindAsync(Guid vmId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await VmQueries.ReadAsync(db, vmId);
    }

    private static OperationResult NotFound(Guid vmId) => new(OperationStatus.NotFound, $"No VM with id {vmId}.");
}
