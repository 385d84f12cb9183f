using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    public async Task<OperationResult> CreatePoolAsync(ClaimsPrincipal actor, string? name, string? comment)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (!AccessNames.IsValid(name))
        {
            return Invalid($"name: {AccessNames.Rule}");
        }

        await using var db = await contexts.CreateDbContextAsync();
        if (await db.ResourcePools.AnyAsync(p => p.Name == name))
        {
            return Invalid($"name: a pool named '{name}' already exists");
        }

        db.ResourcePools.Add(new ResourcePool { Name = name!, Comment = Comment(comment) });
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.pool.create", "pool", name!, null, $"Pool '{name}' created.");
    }

    /// <summary>Deletes a pool: its VMs stay (outside any pool), the ACL entries on its path go.</summary>
    public async Task<OperationResult> DeletePoolAsync(ClaimsPrincipal actor, string name)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var pool = await db.ResourcePools.SingleOrDefaultAsync(p => p.Name == name);
        if (pool is null)
        {
            return NotFound($"No pool named '{name}'.");
        }

        var path = AclPaths.Pool(pool.Name);
        db.AclEntries.RemoveRange(await db.AclEntries.Where(a => a.Path == path).ToListAsync());
        db.ResourcePools.Remove(pool);
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.pool.delete", "pool", pool.Name, null, $"Pool '{pool.Name}' deleted.");
    }

    /// <summary>Puts a VM in a pool (moving it out of any other: a VM is in one pool at most), or takes it out with a null pool.</summary>
    public async Task<OperationResult> SetVmPoolAsync(ClaimsPrincipal actor, Guid vmId, string? poolName)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vm = await db.Vms.SingleOrDefaultAsync(v => v.Id == vmId);
        if (vm is null)
        {
            return NotFound($"No VM with id {vmId}.");
        }

        var pool = poolName is null ? null : await db.ResourcePools.SingleOrDefaultAsync(p => p.Name == poolName);
        if (poolName is not null && pool is null)
        {
            return NotFound($"No pool named '{poolName}'.");
        }

        var member = await db.PoolMembers.SingleOrDefaultAsync(m => m.VmId == vmId);
        if (member is not null)
        {
            db.PoolMembers.Remove(member);
        }

        if (pool is not null)
        {
            db.PoolMembers.Add(new PoolMember { VmId = vmId, PoolName = pool.Name });
        }

        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.pool.set-vm", "vm", vmId.ToString(), pool?.Name ?? "(no pool)",
            pool is null ? $"VM '{vm.Name}' is in no pool now." : $"VM '{vm.Name}' is in pool '{pool.Name}' now.");
    }
}
