using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
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
    VmCommandPipeline pipeline)
{
    /// <summary>Converting or copying a large image under load takes long; the agent reports progress meanwhile.</summary>
    public static readonly TimeSpan LongTimeout = TimeSpan.FromHours(2);

    public const long MaxSizeMiB = VmDefinitionFactory.MaxDiskMiB;

    /// <summary>
    /// The frame of a disk command: a VM the user may not see is "not found", one they may not configure is forbidden,
    /// one busy with another disk action is a conflict; the VM's disk slot is held while it runs (the task shows on the
    /// disk's row); a success changes the stored definition, and the conflict of its save says the host did it already.
    /// </summary>
    private VmCommand DiskCommand(Guid vmId, string diskId, string what, string kind, Func<Guid, Func<IAgentClient, Task<AgentReply>>?> send, Func<VmRecord, string> done, Func<string> doneOnHost) =>
        new(Privileges.VmConfig, kind, send, done)
        {
            Access = new VmAccess
            {
                Forbidden = _ => $"You may see VM {vmId} but not change its disks: that needs {Privileges.VmConfig}.",
            },
            Slot = () => DiskSlot.Take(activity, vmId, diskId, what),
            SaveConflict = vm => $"{doneOnHost()} on the host, but VM '{vm.Name}' was changed by someone else meanwhile; reload the page to see its disks as they are.",
            ReconcilesReport = false,
        };

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
    private async Task<OperationResult?> RefuseOnDiskPoolAsync(VmRecord vm, DiskRecord disk, ClaimsPrincipal user, string privilege)
    {
        StoragePool? pool;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            pool = await PoolOfAsync(db, vm.HostId, disk.Path);
        }

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

        foreach (var (name, value, max) in new[]
        {
            ("readBytesPerSecond", limits.ReadBytesPerSecond, DefinitionValidator.MaxIoBytesPerSecond),
            ("writeBytesPerSecond", limits.WriteBytesPerSecond, DefinitionValidator.MaxIoBytesPerSecond),
            ("readIops", limits.ReadIops, DefinitionValidator.MaxIops),
            ("writeIops", limits.WriteIops, DefinitionValidator.MaxIops),
        })
        {
            if (value is <= 0)
            {
                return $"ioLimits.{name}: must be a positive number, or empty for unlimited";
            }

            if (value > max)
            {
                return $"ioLimits.{name}: at most {max}, or empty for unlimited";
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
