using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Rules.Definitions;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Vms;
using WebVirt.Web.Encryption;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>
    /// Adds a disk: a new image, one imported from a pool file, or an existing pool file used in place. The disk gets
    /// the next free <c>disk{n}</c> id; a new or imported image is named <c>{vm uuid}-{disk id}.{qcow2|raw}</c> in the
    /// chosen pool. On a running VM the host hot-plugs it where the bus allows.
    /// </summary>
    public Task<OperationResult> AddAsync(Guid vmId, AddVmDiskRequest request, ClaimsPrincipal user)
    {
        // The new disk, worked out by the check; its key (of an encrypted disk) is handed over before the host creates it.
        var key = request.Encrypted ? DiskKeyVault.NewKey() : null;
        var newKeys = new Dictionary<string, string>();
        long? sizeBytes = null;
        DiskDefinition disk = null!;
        string? importFrom = null;
        var poolName = "";
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            "new disk",
            "adding",
            "vm.disk.add",
            taskId => agent => agent.AddDisk(new AddDiskRequest
            {
                Uuid = vmId,
                Disk = disk,
                SizeBytes = sizeBytes,
                ImportFrom = importFrom,
                ImportFormat = importFrom is null ? null : request.ImportFormat,
                TaskId = taskId,
            }),
            vm => IsStopped(vm) ? $"Disk {disk.Id} added to VM '{vm.Name}'." : $"Disk {disk.Id} added to VM '{vm.Name}' and plugged into the running VM.",
            () => $"Disk {disk.Id} was added") with
        {
            Keys = DiskKeyHandover.Of(newKeys),
            Timeout = _ => LongTimeout,
            Check = async vm =>
            {
                if (CheckAddInput(request) is { } invalid)
                {
                    return Invalid(invalid);
                }

                var (planned, refusal) = await PlanAddAsync(vm, request, user);
                if (planned is null)
                {
                    return refusal;
                }

                (disk, importFrom, poolName) = planned.Value;
                sizeBytes = request.Source == DiskSource.New ? request.SizeMiB!.Value * 1024 * 1024 : null;
                if (key is not null)
                {
                    newKeys[disk.Id] = key;
                }

                return null;
            },
            TaskDetails = _ => $"{disk.Id}: {Describe(request, poolName)}, {disk.Bus}",
            Apply = run =>
            {
                ChangeDisks(run.Vm, disks => [.. disks, disk]);
                var record = run.Vm.Disks.Single(d => d.DiskId == disk.Id);
                record.SizeBytes = sizeBytes;
                record.ProtectedKey = key is null ? null : keys.Protect(key);
                notifier.NotifyHostChanged(run.Vm.HostId);
                return Task.CompletedTask;
            },
        }, user);
    }

    /// <summary>The disk to add, the image it is imported from and the pool's name; or why it cannot be added.</summary>
    private async Task<((DiskDefinition Disk, string? ImportFrom, string PoolName)? Plan, OperationResult? Refusal)> PlanAddAsync(VmRecord vm, AddVmDiskRequest request, ClaimsPrincipal user)
    {
        await using var db = await contexts.CreateDbContextAsync();
        // Every source takes space in the pool as far as permissions go: an existing image used in place becomes this VM's (Proxmox).
        var (pool, refusal) = await PoolAsync(db, vm, request.PoolId, user, Privileges.DatastoreAllocateSpace, "poolId");
        if (pool is null)
        {
            return (null, refusal!);
        }

        var (files, error) = await FilesInAsync(vm, pool);
        if (files is null)
        {
            return (null, error!);
        }

        string? importFrom = null;
        if (request.Source != DiskSource.New)
        {
            var (sourcePool, sourceRefusal) = request.Source == DiskSource.Import && request.SourcePoolId is { } sourceId && sourceId != pool.Id
                ? await PoolAsync(db, vm, sourceId, user, Privileges.DatastoreAudit, "sourcePoolId")
                : (pool, null);
            if (sourcePool is null)
            {
                return (null, sourceRefusal!);
            }

            var (sourceFiles, sourceError) = sourcePool == pool ? (files, null) : await FilesInAsync(vm, sourcePool);
            if (sourceFiles is null)
            {
                return (null, sourceError!);
            }

            var sourcePath = DiskNames.PathIn(sourcePool.Path, request.FileName!);
            if (sourceFiles.FirstOrDefault(f => f.Name == request.FileName) is not { Kind: PoolFileKind.DiskImage })
            {
                return (null, Invalid($"fileName: pool '{sourcePool.Name}' has no image file '{request.FileName}'"));
            }

            if (await PathUserAsync(db, vm.HostId, sourcePath) is { } usedBy)
            {
                return (null, new OperationResult(OperationStatus.Conflict, $"'{request.FileName}' is in use: {usedBy}."));
            }

            if (await RefuseNotYoursAsync(db, vm, sourcePool, request.FileName!, request.Source, user) is { } notYours)
            {
                return (null, notYours);
            }

            importFrom = request.Source == DiskSource.Import ? sourcePath : null;
        }

        var basis = VmRecordMapper.ToDefinition(vm);
        var usedIds = basis.Disks.Select(d => d.Id).Concat(vm.PendingDefinition?.Disks.Select(d => d.Id) ?? []);
        var id = DiskNames.NextId(usedIds, vm.Id, request.Format, files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal));
        var disk = new DiskDefinition
        {
            Id = id,
            Path = DiskNames.PathIn(pool.Path, request.Source == DiskSource.Existing ? request.FileName! : DiskNames.ImageFileName(vm.Id, id, request.Format)),
            Format = request.Format,
            Bus = request.Bus,
            Cache = request.Cache,
            Discard = request.Discard,
            Encrypted = request.Encrypted,
            IoLimits = Normalize(request.IoLimits),
        };

        // The bus limits (SATA ports, VirtIO slots) are the validator's; the pending definition must stay valid too.
        var problems = DefinitionValidator.Validate(basis with { Disks = [.. basis.Disks, disk] }).Select(e => e.ToString())
            .Concat(vm.PendingDefinition is { } pending ? DefinitionValidator.Validate(pending with { Disks = [.. pending.Disks, disk] }).Select(e => $"with the pending changes: {e}") : [])
            .Distinct().ToList();
        return problems.Count > 0 ? (null, Invalid(string.Join("; ", problems))) : ((disk, importFrom, pool.Name), null);
    }

    /// <summary>What is wrong with the request on its own, before pools and the VM are looked at.</summary>
    internal static string? CheckAddInput(AddVmDiskRequest request)
    {
        if (!Enum.IsDefined(request.Source) || !Enum.IsDefined(request.Format) || !Enum.IsDefined(request.Bus) || !Enum.IsDefined(request.Cache))
        {
            return "source, format, bus and cache must be among the listed values";
        }

        switch (request.Source)
        {
            case DiskSource.New when request.SizeMiB is not { } size || size is < 1 or > MaxSizeMiB:
                return $"sizeMiB: must be between 1 MiB and {MaxSizeMiB} MiB (64 TiB)";
            case DiskSource.New when request.FileName is not null:
                return "fileName: a new disk's image is named by the panel; give a file only to import or attach one";
            case DiskSource.Import or DiskSource.Existing when PoolFileNames.Check(request.FileName) is { } badName:
                return $"fileName: {badName}";
            case DiskSource.Import when request.ImportFormat is not { } format || !Enum.IsDefined(format):
                return "importFormat: say which format the source file is read as (qcow2 or raw); it is never guessed";
            case DiskSource.Import or DiskSource.Existing when request.SizeMiB is not null:
                return "sizeMiB: only a new disk takes a size; an imported or existing one keeps its image's size (grow it afterwards)";
        }

        if (request.Encrypted && (request.Source != DiskSource.New || request.Format != DiskFormat.Qcow2))
        {
            return "encrypted: only a new qcow2 disk can be encrypted";
        }

        return CheckIoLimits(request.IoLimits);
    }

    private static string Describe(AddVmDiskRequest request, string poolName) => request.Source switch
    {
        DiskSource.New => $"new {request.SizeMiB} MiB {DiskNames.Extension(request.Format)}{(request.Encrypted ? " (encrypted)" : "")} in pool {poolName}",
        DiskSource.Import => $"imported from {request.FileName} ({request.ImportFormat}) into pool {poolName} as {DiskNames.Extension(request.Format)}",
        _ => $"existing {request.FileName} in pool {poolName}",
    };

    /// <summary>
    /// Whether the user may use an image of a pool, in place or as the source of a copy (Proxmox's check_volume_access):
    /// Datastore.Allocate on the pool allows any; one named after this VM is its own; one named after another VM needs
    /// VM.Config on that VM (else a detached disk of another tenant could be attached or copied); one that belongs to no
    /// VM (uploaded, or its VM is gone) may be copied with the Datastore.Audit already checked, but taking it in place
    /// needs Datastore.Allocate.
    /// </summary>
    private async Task<OperationResult?> RefuseNotYoursAsync(WebVirtDbContext db, VmRecord vm, StoragePool pool, string fileName, DiskSource source, ClaimsPrincipal user)
    {
        var owner = DiskNames.OwnerOf(fileName);
        if (owner == vm.Id || await permissions.HasAsync(user, AclPaths.Storage(pool.Id), Privileges.DatastoreAllocate))
        {
            return null;
        }

        var verb = source == DiskSource.Existing ? "attaching" : "importing";
        if (owner is { } ownerId && await db.Vms.AnyAsync(v => v.Id == ownerId))
        {
            // The other VM is not named: the user may not be allowed to see it.
            return await permissions.HasOnVmAsync(user, ownerId, Privileges.VmConfig)
                ? null
                : new OperationResult(OperationStatus.Forbidden, $"'{fileName}' is a disk image of another VM: {verb} it needs {Privileges.VmConfig} on that VM (or {Privileges.DatastoreAllocate} on pool '{pool.Name}').");
        }

        return source != DiskSource.Existing
            ? null
            : new OperationResult(OperationStatus.Forbidden, $"'{fileName}' belongs to no VM: attaching it in place needs {Privileges.DatastoreAllocate} on pool '{pool.Name}' ({AclPaths.Storage(pool.Id)}); import a copy of it instead.");
    }

    /// <summary>Which VM uses <paramref name="path"/> as a disk or in its CD-ROM drive; null when none.</summary>
    private static async Task<string?> PathUserAsync(WebVirtDbContext db, Guid hostId, string path)
    {
        var disk = await (from d in db.Disks
                          join v in db.Vms on d.VmId equals v.Id
                          where v.HostId == hostId && d.Path == path
                          select v.Name).FirstOrDefaultAsync();
        if (disk is not null)
        {
            return $"a disk of VM '{disk}'";
        }

        var cdrom = await db.Vms.Where(v => v.HostId == hostId && v.CdromIsoPath == path).Select(v => v.Name).FirstOrDefaultAsync();
        return cdrom is null ? null : $"in the CD-ROM drive of VM '{cdrom}'";
    }
}
