using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Permissions.Administration;

/// <summary>
/// Changes to users, groups, roles, pools and the ACL, shared by the admin pages and the /api/v1/access
/// endpoints. Each method checks the actor's privilege (Permissions.Modify on <c>/</c>), validates its input
/// (bad input changes nothing), writes an audit row, and raises <see cref="InventoryNotifier.AccessChanged"/>
/// so cached permissions and open pages catch up. Split by area into partial files.
/// </summary>
internal sealed partial class AccessAdministration(
    IDbContextFactory<WebVirtDbContext> contexts,
    UserManager<WebVirtUser> users,
    PermissionService permissions,
    AuditLog audit,
    WebVirt.Web.Account.SignInLockouts signInLockouts,
    WebVirt.Web.Account.SignInEnds signInEnds)
{
    private async Task<OperationResult?> RefuseAsync(ClaimsPrincipal actor, string privilege = Privileges.PermissionsModify) =>
        await permissions.HasAsync(actor, AclPaths.Root, privilege)
            ? null
            : new OperationResult(OperationStatus.Forbidden, $"This needs {privilege} on /.");

    private async Task<OperationResult> DoneAsync(ClaimsPrincipal actor, string action, string targetType, string targetId, string? details, string message)
    {
        await audit.WriteAsync(Actor.NameOf(actor), action, targetType, targetId, details, success: true);
        permissions.NotifyChanged();
        return OperationResult.Done(message);
    }

    private static OperationResult Invalid(string message) => new(OperationStatus.Invalid, message);

    private static OperationResult NotFound(string message) => new(OperationStatus.NotFound, message);
}
