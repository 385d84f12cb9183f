using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Permissions.Administration;

namespace WebVirt.Web.Api.Access;

/// <summary>
/// /api/v1/access: the admin pages' operations for scripts. Reading needs Sys.Audit on /; every change goes
/// through <see cref="AccessAdministration"/>, which checks Permissions.Modify, validates and audits.
/// </summary>
internal static class AccessEndpoints
{
    public static RouteGroupBuilder MapAccessEndpoints(this RouteGroupBuilder api)
    {
        var access = api.MapGroup("/access").RequireAuthorization(Policies.SignedIn);

        access.MapGet("/users", (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
            ReadAsync(permissions, user, async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
                var members = await db.AccessGroupMembers.AsNoTracking().ToListAsync();
                return users.Select(u => new
                {
                    u.Id,
                    u.UserName,
                    u.DisplayName,
                    Disabled = u.LockoutEnd == DateTimeOffset.MaxValue,
                    u.MustChangePassword,
                    Groups = members.Where(m => m.UserId == u.Id).Select(m => m.GroupId),
                });
            }));
        access.MapPost("/users", async (CreateUserRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.CreateUserAsync(user, request.UserName, request.DisplayName, request.Password, request.MustChangePassword ?? true)));
        access.MapDelete("/users/{id}", async (string id, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.DeleteUserAsync(user, id)));
        access.MapPost("/users/{id}/disable", async (string id, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetUserEnabledAsync(user, id, enabled: false)));
        access.MapPost("/users/{id}/enable", async (string id, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetUserEnabledAsync(user, id, enabled: true)));
        access.MapPost("/users/{id}/password", async (string id, ResetPasswordRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.ResetPasswordAsync(user, id, request.Password, request.MustChangePassword ?? true)));

        access.MapGet("/groups", (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
            ReadAsync(permissions, user, async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var groups = await db.AccessGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Name).ToListAsync();
                return groups.Select(g => new { g.Id, g.Name, g.Comment, Members = g.Members.Select(m => m.UserId) });
            }));
        access.MapPost("/groups", async (CreateGroupRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.CreateGroupAsync(user, request.Name, request.Comment)));
        access.MapDelete("/groups/{id:guid}", async (Guid id, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.DeleteGroupAsync(user, id)));
        access.MapPut("/groups/{id:guid}/members/{userId}", async (Guid id, string userId, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetMembershipAsync(user, id, userId, member: true)));
        access.MapDelete("/groups/{id:guid}/members/{userId}", async (Guid id, string userId, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetMembershipAsync(user, id, userId, member: false)));

        access.MapGet("/roles", (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
            ReadAsync(permissions, user, async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var custom = await db.CustomRoles.AsNoTracking().OrderBy(r => r.Name).ToListAsync();
                return BuiltInRoles.All.Select(r => new { Name = r.Key, BuiltIn = true, Privileges = (IReadOnlyList<string>)[.. Privileges.All.Where(r.Value.Contains)] })
                    .Concat(custom.Select(r => new { r.Name, BuiltIn = false, Privileges = r.PrivilegeNames }));
            }));
        access.MapPut("/roles/{name}", async (string name, SaveRoleRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SaveRoleAsync(user, name, request.Privileges)));
        access.MapDelete("/roles/{name}", async (string name, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.DeleteRoleAsync(user, name)));

        access.MapGet("/pools", (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
            ReadAsync(permissions, user, async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var pools = await db.ResourcePools.AsNoTracking().Include(p => p.Members).OrderBy(p => p.Name).ToListAsync();
                return pools.Select(p => new { p.Name, p.Comment, Vms = p.Members.Select(m => m.VmId) });
            }));
        access.MapPost("/pools", async (CreatePoolRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.CreatePoolAsync(user, request.Name, request.Comment)));
        access.MapDelete("/pools/{name}", async (string name, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.DeletePoolAsync(user, name)));
        access.MapPut("/pools/{name}/vms/{vmId:guid}", async (string name, Guid vmId, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetVmPoolAsync(user, vmId, name)));
        access.MapDelete("/pools/{name}/vms/{vmId:guid}", async (string name, Guid vmId, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.SetVmPoolAsync(user, vmId, null)));

        access.MapGet("/acl", (IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions, ClaimsPrincipal user) =>
            ReadAsync(permissions, user, async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                var entries = await db.AclEntries.AsNoTracking().OrderBy(a => a.Path).ToListAsync();
                return entries.Select(a => new { a.Id, a.Path, a.UserId, a.GroupId, Role = a.RoleName, a.Propagate });
            }));
        access.MapPost("/acl", async (AddAclEntryRequest request, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.AddAclEntryAsync(user, request.Path, request.UserId, request.GroupId, request.Role, request.Propagate ?? true)));
        access.MapDelete("/acl/{id:guid}", async (Guid id, AccessAdministration admin, ClaimsPrincipal user) =>
            ApiResults.From(await admin.RemoveAclEntryAsync(user, id)));

        return api;
    }

    private static async Task<IResult> ReadAsync<T>(PermissionService permissions, ClaimsPrincipal user, Func<Task<T>> read) =>
        await permissions.HasAsync(user, AclPaths.Root, Privileges.SysAudit)
            ? Results.Ok(await read())
            : Results.Problem(detail: $"Reading users and permissions needs {Privileges.SysAudit} on /.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
