using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions;

/// <summary>Reads <see cref="AccessData"/> in a few whole-table queries (no per-VM round trips).</summary>
internal static class AccessDataLoader
{
    public static async Task<AccessData> LoadAsync(IDbContextFactory<WebVirtDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, cancellationToken);
    }

    public static async Task<AccessData> LoadAsync(WebVirtDbContext db, CancellationToken cancellationToken)
    {
        var acl = await db.AclEntries.AsNoTracking().ToListAsync(cancellationToken);
        var members = await db.AccessGroupMembers.AsNoTracking().ToListAsync(cancellationToken);
        var customRoles = await db.CustomRoles.AsNoTracking().ToListAsync(cancellationToken);
        var vms = await db.Vms.AsNoTracking().Select(v => new { v.Id, v.HostId }).ToListAsync(cancellationToken);
        var pools = await db.PoolMembers.AsNoTracking().ToDictionaryAsync(m => m.VmId, m => m.PoolName, cancellationToken);

        // Disabling an account sets its lockout end to the end of time (AccessAdministration.SetUserEnabledAsync).
        var disabled = (await db.Users.AsNoTracking().Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(cancellationToken))
            .Where(u => u.LockoutEnd == DateTimeOffset.MaxValue).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);

        var roles = new Dictionary<string, IReadOnlySet<string>>(BuiltInRoles.All, StringComparer.OrdinalIgnoreCase);
        foreach (var role in customRoles)
        {
            roles.TryAdd(role.Name, new HashSet<string>(role.PrivilegeNames));
        }

        return new AccessData(
            acl,
            members.ToLookup(m => m.UserId, m => m.GroupId),
            roles,
            vms.ToDictionary(v => v.Id, v => new VmPlacement(v.HostId, pools.GetValueOrDefault(v.Id))),
            disabled);
    }
}
