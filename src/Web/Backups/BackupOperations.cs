using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Clones;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Backups;

/// <summary>
/// Backups of a VM as the panel offers them: back up now (VM.Backup and Datastore.AllocateSpace), list, verify,
/// restore as a new VM (VM.Allocate, and Datastore.AllocateSpace on the image pool) or over the original, and the VM's schedule. Each change is a task and an audit row.
/// </summary>
internal sealed class BackupOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    TaskLog tasks,
    PermissionService permissions,
    OperationFinisher finisher,
    VmCommandPipeline pipeline,
    PoolAccess poolAccess)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromHours(4);

    public async Task<OperationResult> BackupNowAsync(Guid vmId, int keepLast, ClaimsPrincipal user)
    {
        if (await CheckAsync(user, vmId, Privileges.VmBackup) is { } forbidden)
        {
            return forbidden;
        }

        if (await CheckSpaceAsync(user, vmId) is { } noSpace)
        {
            return noSpace;
        }

        if (keepLast is < 0 or > 1000)
        {
            return new OperationResult(OperationStatus.Invalid, "keepLast: must be between 0 (keep all) and 1000");
        }

        return await RunBackupAsync(vmId, keepLast, Actor.NameOf(user));
    }

    /// <summary>
    /// Runs a due schedule in the name of the user who saved it, if that user still holds what Backup Now needs
    /// (VM.Backup on the VM, Datastore.AllocateSpace on the image pool; a disabled or deleted user holds nothing).
    /// A refused run is a failed task, so the administrator sees why the schedule made no backup; the schedule
    /// stays, and runs again once access is given back.
    /// </summary>
    public async Task<OperationResult> RunScheduledAsync(BackupScheduleRecord schedule)
    {
        var actor = $"{schedule.UserName} (schedule)";
        var owner = ScheduleOwner(schedule);
        var refused = await permissions.HasOnVmAsync(owner, schedule.VmId, Privileges.VmBackup)
            ? await CheckSpaceAsync(owner, schedule.VmId) is { } noSpace
                ? $"{schedule.UserName}, who saved this schedule, can no longer take space for backups: {noSpace.Message}"
                : null
            : $"{schedule.UserName}, who saved this schedule, no longer holds {Privileges.VmBackup} on the VM (or is disabled or deleted).";
        if (refused is null)
        {
            return await RunBackupAsync(schedule.VmId, schedule.KeepLast, actor);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vmName = await db.Vms.AsNoTracking().Where(v => v.Id == schedule.VmId).Select(v => v.Name).SingleOrDefaultAsync() ?? schedule.VmId.ToString();
        var task = await tasks.StartAsync("vm.backup", "vm", schedule.VmId.ToString(), vmName, actor, "scheduled");
        return await finisher.FinishAsync(task.Id, schedule.VmId, new OperationResult(OperationStatus.Forbidden, $"Scheduled backup skipped: {refused}"));
    }

    // The schedule's owner as the permission checks know a signed-in user: by Identity id. Rows saved before the id
    // was recorded and whose user could not be matched have none, and so are refused.
    private static ClaimsPrincipal ScheduleOwner(BackupScheduleRecord schedule) =>
        schedule.UserId is { } userId
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, schedule.UserName)], "backup-schedule"))
            : new ClaimsPrincipal(new ClaimsIdentity());

    private Task<OperationResult> RunBackupAsync(Guid vmId, int keepLast, string userName) =>
        pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmBackup,
            "vm.backup",
            taskId => agent => agent.BackupVm(new BackupRequest(vmId, keepLast, taskId)),
            vm => $"VM '{vm.Name}' backed up.")
        {
            TaskDetails = _ => keepLast > 0 ? $"keep last {keepLast}" : "keep all",
            Timeout = _ => Timeout,
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
            TaskDetails = _ => $"backup {backupId}",
            Timeout = _ => Timeout,
        }, user);

    public Task<OperationResult> RestoreAsync(Guid vmId, string backupId, RestoreBackupRequest request, ClaimsPrincipal user)
    {
        var asNew = !string.IsNullOrEmpty(request.NewName);

        // The new VM's definition, worked out by the check from the backup's; null when restoring over the original.
        VmDefinition? target = null;
        return pipeline.RunAsync(vmId, new VmCommand(
            Privileges.VmBackup,
            "vm.restore",
            taskId => agent => agent.RestoreBackup(new RestoreRequest(vmId, backupId, target, taskId)),
            vm => target is null ? $"VM '{vm.Name}' restored from backup {backupId}." : $"Backup {backupId} restored as VM '{target.Name}'.")
        {
            Access = new VmAccess { OnRoot = asNew ? [(Privileges.VmAllocate, $"You lack {Privileges.VmAllocate}: restoring as a new VM creates one.")] : [] },
            TaskDetails = _ => asNew ? $"backup {backupId} as new VM '{request.NewName}'" : $"backup {backupId} over the VM",
            Timeout = _ => Timeout,
            Check = async vm =>
            {
                if (!asNew)
                {
                    return null;
                }

                var (error, list) = await ListAsync(vmId, user);
                if (list?.Backups.FirstOrDefault(b => b.Id == backupId) is not { } backup)
                {
                    return error ?? new OperationResult(OperationStatus.NotFound, $"VM '{vm.Name}' has no backup '{backupId}'.");
                }

                target = CloneOperations.CloneDefinition(backup.Definition, new CloneVmRequest { Name = request.NewName }, vm.Host!.ImagePool ?? "");
                return await CloneOperations.CheckNewVmAsync(contexts, target, vm)
                    ?? await CloneOperations.RefuseDiskSpaceAsync(poolAccess, vm.HostId, vm.Host!.ImagePool, target, "restore this backup's disks as a new VM", user);
            },
            Apply = asNew ? run => AddRestoredAsync(run, target!, backupId) : null,

            // Over the original, the reply reports the VM as the restore left it; a new VM is recorded stopped.
            ReconcilesReport = !asNew,
        }, user);
    }

    private async Task AddRestoredAsync(VmCommandRun run, VmDefinition target, string backupId)
    {
        var record = CloneOperations.NewVmRecord(target, run.Vm);
        record.Description = $"Restored from backup {backupId} of '{run.Vm.Name}'";
        run.Db.Vms.Add(record);
        run.ResultVmId = record.Id;
        await tasks.AppendAsync(run.TaskId, $"Created VM '{target.Name}' ({target.Uuid}).");
    }

    public async Task<OperationResult> SetScheduleAsync(Guid vmId, BackupScheduleRequest request, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (await CheckAsync(user, vmId, Privileges.VmBackup) is { } forbidden)
        {
            return forbidden;
        }

        // A schedule makes backups too: saving one needs what Backup Now needs.
        if (request.Enabled && await CheckSpaceAsync(user, vmId) is { } noSpace)
        {
            return noSpace;
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
        schedule.UserId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        schedule.NextRunAt = BackupSchedulePlanner.Next(dailyAt, request.EveryHours, now);
        await db.SaveChangesAsync();
        return await finisher.FinishAsync(task.Id, vmId, OperationResult.Done($"Backup schedule of VM '{vm.Name}' saved; next run {schedule.NextRunAt:yyyy-MM-dd HH:mm} UTC."));
    }

    /// <summary>
    /// Datastore.AllocateSpace on the pool the backup goes to: the agent keeps backups in its image pool (the host's
    /// default pool), so that pool's path, or <c>/</c> while the panel has no record of it.
    /// </summary>
    private async Task<OperationResult?> CheckSpaceAsync(ClaimsPrincipal user, Guid vmId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Vms.AsNoTracking().Where(v => v.Id == vmId).Select(v => new { v.HostId, v.Host!.ImagePool }).SingleOrDefaultAsync();
        var poolId = host is null ? null : await db.StoragePools.AsNoTracking()
            .Where(p => p.HostId == host.HostId && p.Path == host.ImagePool).Select(p => (Guid?)p.Id).FirstOrDefaultAsync();
        var path = poolId is { } id ? AclPaths.Storage(id) : AclPaths.Root;
        return await permissions.HasAsync(user, path, Privileges.DatastoreAllocateSpace)
            ? null
            : new OperationResult(OperationStatus.Forbidden, $"You lack {Privileges.DatastoreAllocateSpace} on {path}: a backup takes space in that pool.");
    }

    /// <summary>A VM the user may not audit is "not found", as for the pipeline's commands (<see cref="VmAccess.HiddenWithoutAudit"/>).</summary>
    private async Task<OperationResult?> CheckAsync(ClaimsPrincipal user, Guid vmId, string privilege)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return NotFound(vmId);
        }

        return await permissions.HasOnVmAsync(user, vmId, privilege) ? null : new OperationResult(OperationStatus.Forbidden, $"You lack {privilege} on VM {vmId}.");
    }

    private async Task<VmRecord?> FindAsync(Guid vmId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await VmQueries.ReadAsync(db, vmId);
    }

    private static OperationResult NotFound(Guid vmId) => new(OperationStatus.NotFound, $"No VM with id {vmId}.");
}
