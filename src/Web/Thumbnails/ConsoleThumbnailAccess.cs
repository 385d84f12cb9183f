using System.Security.Claims;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Thumbnails;

/// <summary>
/// A thumbnail is the live screen (passwords typed at a console, a root shell): it needs VM.Console, like the console
/// itself, not VM.Audit, which only lets the user see that the VM exists and how it is set up.
/// </summary>
internal sealed class ConsoleThumbnailAccess(PermissionService permissions) : IThumbnailAccess
{
    public Task<bool> MayWatchAsync(ClaimsPrincipal user, Guid vmId) => permissions.HasOnVmAsync(user, vmId, Privileges.VmConsole);
}
