using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Storage;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Storage;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>
    /// The VM's disks with their pools and, when the host answers, their virtual against actual size; an offline host
    /// leaves the inventory's sizes and says why. Measured virtual sizes are kept in the inventory.
    /// </summary>
    public async Task<(OperationResult? Refusal, IReadOnlyList<DiskView> Disks)> ListAsync(Guid vmId, ClaimsPrincipal user)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return (NotFound(vmId), []);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await VmQueries.LoadAsync(db, vmId);
        if (vm is null)
        {
            return (NotFound(vmId), []);
        }

        var (usage, error) = agents.IsConnected(vm.HostId)
            ? await MeasureAsync(vm)
            : (null, new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}' is offline: sizes are the last ones measured."));
        foreach (var record in vm.Disks)
        {
            if (usage?.FirstOrDefault(u => u.DiskId == record.DiskId && u.Error is null) is { } measured && record.SizeBytes != measured.VirtualBytes)
            {
                record.SizeBytes = measured.VirtualBytes;
            }
        }

        // A measure, not a change of the VM: a concurrent change wins and the next listing measures again.
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
        }

        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == vm.HostId).ToListAsync();
        var current = VmRecordMapper.ToDefinition(vm);
        return (null, [.. current.Disks.Select(disk =>
        {
            var pool = pools.FirstOrDefault(p => p.Path.TrimEnd('/') == Path.GetDirectoryName(disk.Path));
            var measured = usage?.FirstOrDefault(u => u.DiskId == disk.Id);
            var pending = vm.PendingDefinition?.Disks.FirstOrDefault(d => d.Id == disk.Id);
            return new DiskView
            {
                Disk = disk,
                PoolId = pool?.Id,
                PoolName = pool?.Name,
                VirtualBytes = measured is { Error: null } ? measured.VirtualBytes : vm.Disks.First(d => d.DiskId == disk.Id).SizeBytes,
                ActualBytes = measured is { Error: null } ? measured.ActualBytes : null,
                SnapshotCount = measured is { Error: null } ? measured.SnapshotCount : null,
                BackingFile = measured?.BackingFile,
                UsageProblem = measured?.Error ?? (measured is null ? error?.Message ?? $"Host '{vm.Host!.Name}' did not report this disk." : null),
                PendingOptions = pending is not null && (pending.Bus, pending.Cache, pending.Discard) != (disk.Bus, disk.Cache, disk.Discard)
                    ? new HardwareDiskOptions(pending.Bus, pending.Cache, pending.Discard)
                    : null,
            };
        })]);
    }

    /// <summary>The pools of the VM's host that hold disk images and that the user may see, with their free space.</summary>
    public async Task<IReadOnlyList<DiskPoolChoice>> PoolChoicesAsync(Guid vmId, ClaimsPrincipal user)
    {
        if (!await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync();
        var hostId = await db.Vms.Where(v => v.Id == vmId).Select(v => (Guid?)v.HostId).SingleOrDefaultAsync();
        if (hostId is null || await pools.ListAsync(hostId.Value) is not { } views)
        {
            return [];
        }

        var choices = new List<DiskPoolChoice>();
        foreach (var pool in views.Where(p => (p.ContentTypes & StorageContent.Images) != 0))
        {
            if (await permissions.HasAsync(user, AclPaths.Storage(pool.Id), Privileges.DatastoreAudit))
            {
                choices.Add(new DiskPoolChoice(pool, await permissions.HasAsync(user, AclPaths.Storage(pool.Id), Privileges.DatastoreAllocateSpace)));
            }
        }

        return choices;
    }

    /// <summary>The image files of a pool that a disk can be imported from or attached as: not partial, and not in use.</summary>
    public async Task<IReadOnlyList<PoolFile>> ImageFilesAsync(Guid vmId, Guid poolId, ClaimsPrincipal user)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var vm = await db.Vms.AsNoTracking().Include(v => v.Host).SingleOrDefaultAsync(v => v.Id == vmId);
        if (vm is null || !await permissions.HasOnVmAsync(user, vmId, Privileges.VmAudit))
        {
            return [];
        }

        var (pool, _) = await PoolAsync(db, vm, poolId, user, Privileges.DatastoreAudit, "poolId");
        if (pool is null || !agents.IsConnected(vm.HostId))
        {
            return [];
        }

        var (files, _) = await FilesInAsync(vm, pool);
        var used = await db.Disks.AsNoTracking().Where(d => d.Path.StartsWith(pool.Path)).Select(d => d.Path).ToListAsync();
        return [.. (files ?? []).Where(f => f.Kind == PoolFileKind.DiskImage && !used.Contains(DiskNames.PathIn(pool.Path, f.Name)))
            .OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
    }
}
