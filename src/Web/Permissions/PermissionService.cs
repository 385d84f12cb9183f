using System.Security.Claims;
using WebVirt.Web.Auth;

namespace WebVirt.Web.Permissions;

/// <summary>
/// The one place that decides who may do what, used alike by pages, the REST API, the console relay and
/// the hub. Until the ACL model lands only the Administrator role holds privileges.
/// </summary>
internal sealed class PermissionService
{
    /// <summary>Whether <paramref name="user"/> holds <paramref name="privilege"/> on <paramref name="path"/> (directly or inherited).</summary>
    public Task<bool> HasAsync(ClaimsPrincipal user, string path, string privilege, CancellationToken cancellationToken = default) =>
        Task.FromResult(user.IsInRole(Roles.Administrator));

    /// <summary>Whether <paramref name="user"/> holds <paramref name="privilege"/> on a VM (through the VM, its pool, its host or the root).</summary>
    public Task<bool> HasOnVmAsync(ClaimsPrincipal user, Guid vmId, string privilege, CancellationToken cancellationToken = default) =>
        HasAsync(user, AclPaths.Vm(vmId), privilege, cancellationToken);

    /// <summary>The VMs on which <paramref name="user"/> holds <paramref name="privilege"/>; null means every VM.</summary>
    public Task<IReadOnlySet<Guid>?> VmsWithAsync(ClaimsPrincipal user, string privilege, CancellationToken cancellationToken = default) =>
        Task.FromResult(user.IsInRole(Roles.Administrator) ? null : (IReadOnlySet<Guid>?)new HashSet<Guid>());
}
