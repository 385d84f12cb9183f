using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>
/// The pool privilege of an action that takes space in a pool or uses a file from one, as Proxmox checks it on
/// <c>/storage/{id}</c>: the pool is found by the folder the file lies in, and a folder that is no pool of the host
/// needs the privilege on <c>/</c>.
/// </summary>
internal sealed class PoolAccess(IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions)
{
    /// <summary>Null when <paramref name="user"/> holds <paramref name="privilege"/> on the pool at <paramref name="folder"/>, else a refusal saying <paramref name="what"/> needs it.</summary>
    public async Task<OperationResult?> RefuseInFolderAsync(Guid hostId, string folder, string privilege, string what, ClaimsPrincipal user)
    {
        var normalised = folder.TrimEnd('/');
        await using var db = await contexts.CreateDbContextAsync();
        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == hostId).Select(p => new { p.Id, p.Name, p.Path }).ToListAsync();
        var pool = pools.FirstOrDefault(p => p.Path.TrimEnd('/') == normalised);
        var path = pool is null ? AclPaths.Root : AclPaths.Storage(pool.Id);
        return await permissions.HasAsync(user, path, privilege)
            ? null
            : new OperationResult(OperationStatus.Forbidden, pool is null
                ? $"You may not {what}: it needs {privilege} on {path} (the folder is no pool of the host)."
                : $"You may not {what}: it needs {privilege} on pool '{pool.Name}' ({path}).");
    }

    /// <summary>As <see cref="RefuseInFolderAsync"/> for the pool that holds the file <paramref name="filePath"/>.</summary>
    public Task<OperationResult?> RefuseForFileAsync(Guid hostId, string filePath, string privilege, string what, ClaimsPrincipal user) =>
        RefuseInFolderAsync(hostId, Path.GetDirectoryName(filePath) ?? "", privilege, what, user);
}
