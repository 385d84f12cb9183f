using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

internal sealed partial class AccessAdministration
{
    /// <summary>Creates a custom role, or replaces the privileges of an existing custom one; built-ins are read-only.</summary>
    public async Task<OperationResult> SaveRoleAsync(ClaimsPrincipal actor, string? name, IReadOnlyCollection<string>? privileges)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (!AccessNames.IsValid(name))
        {
            return Invalid($"name: {AccessNames.Rule}");
        }

        if (BuiltInRoles.IsBuiltIn(name!))
        {
            return Invalid($"name: '{name}' is a built-in role and cannot be changed");
        }

        var unknown = (privileges ?? []).Where(p => !Privileges.All.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            return Invalid($"privileges: unknown {string.Join(", ", unknown)}; known are {string.Join(", ", Privileges.All)}");
        }

        var list = string.Join(",", Privileges.All.Where(p => privileges!.Contains(p)));
        await using var db = await contexts.CreateDbContextAsync();
        var role = await db.CustomRoles.SingleOrDefaultAsync(r => r.Name == name);
        if (role is null)
        {
            db.CustomRoles.Add(new CustomRole { Name = name!, PrivilegeList = list });
        }
        else
        {
            role.PrivilegeList = list;
        }

        await db.SaveChangesAsync();
        return await DoneAsync(actor, role is null ? "access.role.create" : "access.role.update", "role", name!, list,
            role is null ? $"Role '{name}' created." : $"Role '{name}' saved.");
    }

    public async Task<OperationResult> DeleteRoleAsync(ClaimsPrincipal actor, string name)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (BuiltInRoles.IsBuiltIn(name))
        {
            return Invalid($"'{name}' is a built-in role and cannot be deleted");
        }

        await using var db = await contexts.CreateDbContextAsync();
        var role = await db.CustomRoles.SingleOrDefaultAsync(r => r.Name == name);
        if (role is null)
        {
            return NotFound($"No custom role named '{name}'.");
        }

        var uses = await db.AclEntries.CountAsync(a => a.RoleName == name);
        if (uses > 0)
        {
            return new OperationResult(OperationStatus.Conflict, $"Role '{name}' is used by {uses} ACL entr{(uses == 1 ? "y" : "ies")}: remove them first.");
        }

        db.CustomRoles.Remove(role);
        await db.SaveChangesAsync();
        return await DoneAsync(actor, "access.role.delete", "role", name, null, $"Role '{name}' deleted.");
    }
}
