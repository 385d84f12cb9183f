using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    /// <summary>Grants a role on a path to a user or a group (exactly one); the path must name something that exists.</summary>
    public async Task<OperationResult> AddAclEntryAsync(ClaimsPrincipal actor, string? path, string? userId, Guid? groupId, string? roleName, bool propagate)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (!AclPaths.TryParse(path, out var kind, out var target, out var error))
        {
            return Invalid(error);
        }

        if ((userId is null) == (groupId is null))
        {
            return Invalid("Give either a user or a group, not both and not neither.");
        }

        await using var db = await contexts.CreateDbContextAsync();
        if (await MissingTargetAsync(db, kind, target) is { } missing)
        {
            return Invalid(missing);
        }

        var role = roleName is null ? null
            : BuiltInRoles.All.Keys.FirstOrDefault(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase))
              ?? (await db.CustomRoles.SingleOrDefaultAsync(r => r.Name == roleName))?.Name;
        if (role is null)
        {
            return Invalid($"role: no role named '{roleName}'");
        }

        string subject;
        if (userId is not null)
        {
            subject = (await db.Users.SingleOrDefaultAsync(u => u.Id == userId))?.UserName ?? "";
            if (subject.Length == 0)
            {
                return Invalid($"user: no user with id {userId}");
            }
        }
        else
        {
            subject = "@" + ((await db.AccessGroups.SingleOrDefaultAsync(g => g.Id == groupId))?.Name ?? "");
            if (subject.Length == 1)
            {
                return Invalid($"group: no group with id {groupId}");
            }
        }

        var canonical = AclPaths.Compose(kind, target);
        if (await db.AclEntries.AnyAsync(a => a.Path == canonical && a.UserId == userId && a.GroupId == groupId && a.RoleName == role))
        {
            return new OperationResult(OperationStatus.Conflict, $"{subject} already has {role} on {canonical}.");
        }

        var entry = new AclEntry { Id = Guid.NewGuid(), Path = canonical, UserId = userId, GroupId = groupId, RoleName = role, Propagate = propagate };
        db.AclEntries.Add(entry);
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.acl.add", "acl", entry.Id.ToString(), $"{canonical} {subject} {role}{(propagate ? " (propagate)" : "")}",
            $"{subject} has {role} on {canonical} now.");
    }

    public async Task<OperationResult> RemoveAclEntryAsync(ClaimsPrincipal actor, Guid entryId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        await using var db = await contexts.CreateDbContextAsync();
        var entry = await db.AclEntries.SingleOrDefaultAsync(a => a.Id == entryId);
        if (entry is null)
        {
            return NotFound($"No ACL entry with id {entryId}.");
        }

        db.AclEntries.Remove(entry);
        await db.SaveChangesAsync();
        if (!await AnyAdministratorLeftAsync(db))
        {
            db.AclEntries.Add(entry);
            await db.SaveChangesAsync();
            return new OperationResult(OperationStatus.Conflict, "That entry is the last one granting Permissions.Modify on /: nobody could manage access after it.");
        }

        return await DoneAsync(actor, "access.acl.remove", "acl", entryId.ToString(), $"{entry.Path} {entry.RoleName}", $"ACL entry removed from {entry.Path}.");
    }

    private static async Task<string?> MissingTargetAsync(WebVirtDbContext db, AclPathKind kind, string target)
    {
        var id = kind is AclPathKind.Host or AclPathKind.Vm or AclPathKind.Storage ? Guid.Parse(target) : Guid.Empty;
        return kind switch
        {
            AclPathKind.Host when !await db.Hosts.AnyAsync(h => h.Id == id) => $"path: no host with id {target}",
            AclPathKind.Vm when !await db.Vms.AnyAsync(v => v.Id == id) => $"path: no VM with id {target}",
            AclPathKind.Storage when !await db.StoragePools.AnyAsync(s => s.Id == id) => $"path: no storage with id {target}",
            AclPathKind.Pool when !await db.ResourcePools.AnyAsync(p => p.Name == target) => $"path: no pool named '{target}'",
            _ => null,
        };
    }

    /// <summary>Whether some enabled user still holds Permissions.Modify on / given the entries now saved.</summary>
    private static async Task<bool> AnyAdministratorLeftAsync(WebVirtDbContext db)
    {
        var data = await AccessDataLoader.LoadAsync(db, CancellationToken.None);
        var accounts = await db.Users.Select(u => new { u.Id, u.LockoutEnd }).ToListAsync();
        return accounts.Where(u => u.LockoutEnd != DateTimeOffset.MaxValue)
            .Any(u => new UserPermissions(data, u.Id).Has(AclPaths.Root, Privileges.PermissionsModify));
    }
}
