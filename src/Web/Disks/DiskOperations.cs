using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

/// <summary>
/// A VM's disk actions (Proxmox's Hardware → Hard Disk), shared by the API and the UI: add (new, import, existing),
/// detach, delete, grow, move, compress, options and usage. Each checks VM.Config on the VM and, for anything that
/// takes or frees space, Datastore.AllocateSpace on the pool; checks its input before anything is recorded; runs as
/// a task with an audit row (long ones with progress from the agent); and updates the inventory so every browser
/// follows. One disk action runs per VM at a time (<see cref="DiskActivity"/>).
/// </summary>
internal sealed partial class DiskOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    StorageAgents storage,
    TaskLog tasks,
    InventoryNotifier notifier,
    PermissionService permissions,
    DiskKeyVault keys,
    DiskActivity activity,
    VmOperations vms,
    PoolOperations pools,
    OperationFinisher finisher)
{
    /// <summary>Converting or copying a large image under load takes long; the agent reports progress meanwhile.</summary>
    public static readonly TimeSpan LongTimeout = TimeSpan.FromHours(2);

    public const long MaxSizeMiB = VmDefinitionFactory.MaxDiskMiB;

    /// <summary>
    /// Runs <paramref name="body"/> holding the VM's disk slot, after the VM-level checks: a VM the user may not see is
    /// "not found", one they may not configure is forbidden, one busy with another disk action is a conflict.
    /// </summary>
    private async Task<OperationResult> GuardedAsync(Guid vmId, string diskId, string what, ClaimsPrincipal user, Func<DiskAction, Task<OperationResult>> body)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return NotFound(vmId);
        }

        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmConfig))
        {
            return new OperationResult(OperationStatus.Forbidden, $"You may see VM {vmId} but not change its disks: that needs {Privileges.VmConfig}.");
        }

        var action = new DiskAction(Guid.NewGuid(), vmId, diskId, what);
        if (!activity.TryBegin(action, out var other))
        {
            return new OperationResult(OperationStatus.Conflict, $"Another disk action ({other!.What} of {other.DiskId}) is running on this VM; try again when it has finished.");
        }

        try
        {
            return await body(action);
        }
        finally
        {
            activity.End(action);
        }
    }

    /// <summary>
    /// <see cref="GuardedAsync"/> on one disk: loads the VM (tracked, in the context handed on) and the disk, "not found"
    /// when either is missing.
    /// </summary>
    private Task<OperationResult> OnDiskAsync(Guid vmId, string diskId, string what, ClaimsPrincipal user,
        Func<DiskAction, WebVirtDbContext, VmRecord, DiskRecord, Task<OperationResult>> body) =>
        GuardedAsync(vmId, diskId, what, user, async action =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var vm = await LoadAsync(db, vmId);
            if (vm is null)
            {
                return NotFound(vmId);
            }

            return DiskOf(vm, diskId) is { } disk ? await body(action, db, vm, disk) : NoDisk(vm, diskId);
        });

    /// <summary>Records the task of <paramref name="action"/>, so the disk's row can show its progress.</summary>
    private async Task<Guid> StartTaskAsync(DiskAction action, VmRecord vm, string kind, string details, ClaimsPrincipal user)
    {
        var task = await tasks.StartAsync(kind, "vm", vm.Id.ToString(), vm.Name, Actor.NameOf(user), details);
        activity.SetTask(action, task.Id);
        return task.Id;
    }

    /// <summary>Ends the task with the outcome; the VM's disk slot is freed first, so pages told of the end no longer show it running.</summary>
    private Task<OperationResult> FinishAsync(DiskAction action, Guid taskId, OperationResult result)
    {
        activity.End(action);
        return finisher.FinishAsync(taskId, action.VmId, result);
    }

    private static Task<VmRecord?> LoadAsync(WebVirtDbContext db, Guid vmId) => VmQueries.LoadAsync(db, vmId);

    /// <summary>A pool of the VM's host that holds disk images and on which the user holds <paramref name="privilege"/>.</summary>
    private async Task<(StoragePool? Pool, OperationResult? Refusal)> PoolAsync(WebVirtDbContext db, VmRecord vm, Guid poolId, ClaimsPrincipal user, string privilege, string field)
    {
        var pool = await db.StoragePools.AsNoTracking().SingleOrDefaultAsync(p => p.Id == poolId && p.HostId == vm.HostId);
        if (pool is null)
        {
            return (null, new OperationResult(OperationStatus.Invalid, $"{field}: host '{vm.Host!.Name}' has no pool {poolId}"));
        }

        if (!await permissions.HasAsync(user, AclPaths.Storage(pool.Id), privilege))
        {
            return (null, new OperationResult(OperationStatus.Forbidden, $"You may not use pool '{pool.Name}' for this: that needs {privilege} on {AclPaths.Storage(pool.Id)}."));
        }

        return (pool.ContentTypes & StorageContent.Images) == 0
            ? (null, new OperationResult(OperationStatus.Invalid, $"{field}: pool '{pool.Name}' does not hold disk images"))
            : (pool, null);
    }

    /// <summary>The pool whose folder holds <paramref name="path"/>, or null for an image outside every pool.</summary>
    private static async Task<StoragePool?> PoolOfAsync(WebVirtDbContext db, Guid hostId, string path)
    {
        var folder = Path.GetDirectoryName(path);
        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == hostId).ToListAsync();
        return pools.FirstOrDefault(p => p.Path.TrimEnd('/') == folder);
    }

    /// <summary>Space-taking actions on a disk need <paramref name="privilege"/> on its pool (on "/" for an image outside every pool).</summary>
    private async Task<OperationResult?> RefuseOnDiskPoolAsync(WebVirtDbContext db, VmRecord vm, DiskRecord disk, ClaimsPrincipal user, string privilege)
    {
        var pool = await PoolOfAsync(db, vm.HostId, disk.Path);
        var path = pool is null ? AclPaths.Root : AclPaths.Storage(pool.Id);
        return await permissions.HasAsync(user, path, privilege)
            ? null
            : new OperationResult(OperationStatus.Forbidden, $"You may not do this to disk {disk.DiskId}: it needs {privilege} on {path} (pool '{pool?.Name ?? "none"}').");
    }

    private static DiskRecord? DiskOf(VmRecord vm, string diskId) => vm.Disks.FirstOrDefault(d => d.DiskId == diskId);

    /// <summary>The names of the files in a pool, from its host.</summary>
    private async Task<(IReadOnlyList<PoolFile>? Files, OperationResult? Error)> FilesInAsync(VmRecord vm, StoragePool pool)
    {
        var reply = await storage.ListPoolContentAsync(vm.HostId, vm.Host!.Name, pool.Path);
        return reply.Result.Ok ? (reply.Files, null) : (null, AgentReplies.ToResult(reply.Result));
    }

    /// <summary>
    /// Changes the disks of the VM's definition and, when changes are pending, of its pending definition too, so applying
    /// them later neither brings back a removed disk nor drops an added one.
    /// </summary>
    private static void ChangeDisks(VmRecord vm, Func<IReadOnlyList<DiskDefinition>, IReadOnlyList<DiskDefinition>> change)
    {
        var current = VmRecordMapper.ToDefinition(vm);
        VmRecordMapper.ApplyDefinition(vm, current with { Disks = change(current.Disks) });
        if (vm.PendingDefinition is { } pending)
        {
            vm.PendingDefinition = pending with { Disks = change(pending.Disks) };
        }
    }

    /// <summary>Saves, or says that someone else changed the VM meanwhile (the host has done the action by then: the message says so).</summary>
    private static async Task<OperationResult?> SaveAsync(WebVirtDbContext db, VmRecord vm, string done)
    {
        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return new OperationResult(OperationStatus.Conflict, $"{done} on the host, but VM '{vm.Name}' was changed by someone else meanwhile; reload the page to see its disks as they are.");
        }
    }

    /// <summary>The disks' usage as the host measures it; null with the reason when it cannot.</summary>
    private async Task<(IReadOnlyList<DiskUsage>? Usage, OperationResult? Error)> MeasureAsync(VmRecord vm)
    {
        try
        {
            var reply = await agents.QueryAsync(vm.HostId, agent => agent.GetDiskUsage(vm.Id), AgentGateway.DefaultTimeout);
            return reply.Reply.Ok ? (reply.Disks, null) : (null, AgentReplies.ToResult(reply.Reply));
        }
        catch (AgentUnavailableException ex)
        {
            return (null, new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}': {ex.Message}"));
        }
    }

    internal static string? CheckIoLimits(DiskIoLimits? limits)
    {
        if (limits is null)
        {
            return null;
        }

        foreach (var (name, value) in new[]
        {
            ("readBytesPerSecond", limits.ReadBytesPerSecond),
            ("writeBytesPerSecond", limits.WriteBytesPerSecond),
            ("readIops", limits.ReadIops),
            ("writeIops", limits.WriteIops),
        })
        {
            if (value is <= 0)
            {
                return $"ioLimits.{name}: must be a positive number, or empty for unlimited";
            }
        }

        return null;
    }

    /// <summary>Unlimited is stored as null, whichever way the caller said it.</summary>
    internal static DiskIoLimits? Normalize(DiskIoLimits? limits) => limits is null || limits.IsUnlimited ? null : limits;

    private static OperationResult NotFound(Guid vmId) => new(OperationStatus.NotFound, $"No VM with id {vmId}.");

    private static OperationResult NoDisk(VmRecord vm, string diskId) => new(OperationStatus.NotFound, $"VM '{vm.Name}' has no disk '{diskId}'.");

    private static OperationResult Invalid(string message) => new(OperationStatus.Invalid, message);

    private static bool IsStopped(VmRecord vm) => vm.ActualState is VmPowerState.Stopped or VmPowerState.Crashed;
}
