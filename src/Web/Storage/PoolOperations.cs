using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>
/// A host's storage pools: the inventory keeps their names and content types, the host's agent keeps the
/// folders and measures them. Adding and removing are tasks, checked against Datastore.Allocate.
/// </summary>
internal sealed partial class PoolOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    AgentGateway agents,
    StorageAgents storage,
    PermissionService permissions,
    PoolCommandRunner runner)
{
    public const string DefaultPoolName = "default";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}\\z")]
    private static partial Regex NamePattern();

    /// <summary>The host's pools with their live size and free space (null values when the host cannot say).</summary>
    public async Task<IReadOnlyList<PoolView>?> ListAsync(Guid hostId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId, cancellationToken);
        if (host is null)
        {
            return null;
        }

        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == hostId).ToListAsync(cancellationToken);
        var measured = agents.IsConnected(hostId) ? await storage.ListPoolsAsync(hostId, host.Name) : null;
        return [.. pools.OrderBy(p => p.Path != host.ImagePool).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p =>
        {
            var status = measured?.Pools.FirstOrDefault(s => s.Path == p.Path);
            return new PoolView
            {
                Id = p.Id,
                HostId = hostId,
                Name = p.Name,
                Path = p.Path,
                ContentTypes = p.ContentTypes,
                IsDefault = p.Path == host.ImagePool,
                TotalBytes = status?.Error is null ? status?.TotalBytes : null,
                FreeBytes = status?.Error is null ? status?.FreeBytes : null,
                Problem = measured is null ? $"Host '{host.Name}' is offline."
                    : !measured.Result.Ok ? measured.Result.Error
                    : status is null ? $"Host '{host.Name}' does not know this pool."
                    : status.Error,
            };
        })];
    }

    public async Task<OperationResult> AddAsync(Guid hostId, AddPoolRequest request, ClaimsPrincipal user)
    {
        if (!await permissions.HasAsync(user, AclPaths.Root, Privileges.DatastoreAllocate))
        {
            return StorageReplies.Forbidden("add storage pools");
        }

        if (request.Name is null || !NamePattern().IsMatch(request.Name))
        {
            return new OperationResult(OperationStatus.Invalid, "name: 1-40 letters, digits, '_' or '-', starting with a letter or digit");
        }

        if (request.ContentTypes == StorageContent.None || (request.ContentTypes & ~(StorageContent.Iso | StorageContent.Images | StorageContent.Backups)) != 0)
        {
            return new OperationResult(OperationStatus.Invalid, "contentTypes: choose one or more of Iso, Images and Backups");
        }

        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == hostId && h.RevokedAt == null);
        if (host is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No host with id {hostId}.");
        }

        if (await db.StoragePools.AnyAsync(p => p.HostId == hostId && p.Name == request.Name))
        {
            return new OperationResult(OperationStatus.Invalid, $"name: host '{host.Name}' already has a pool named '{request.Name}'");
        }

        var pool = new StoragePool { Id = Guid.NewGuid(), HostId = hostId, Name = request.Name, Path = request.Path ?? "", ContentTypes = request.ContentTypes };

        // The agent checks the folder: absolute, normalised, existing, under a pool root, away from its and the panel's own state, no overlap.
        return await runner.RunAsync(new PoolCommand(
            host,
            pool,
            "pool.add",
            $"{request.Path} on host {host.Name}",
            agent => agent.AddPool(pool.Path),
            async () =>
            {
                db.StoragePools.Add(pool);
                await db.SaveChangesAsync();
            },
            $"Pool '{pool.Name}' added on host '{host.Name}'."), user);
    }

    /// <summary>Forgets a pool, keeping its files; refused for the default pool and while a VM uses a file in it.</summary>
    public async Task<OperationResult> RemoveAsync(Guid hostId, Guid poolId, ClaimsPrincipal user)
    {
        if (!await permissions.HasAsync(user, AclPaths.Storage(poolId), Privileges.DatastoreAllocate))
        {
            return StorageReplies.Forbidden("remove this storage pool");
        }

        await using var db = await contexts.CreateDbContextAsync();
        var pool = await db.StoragePools.SingleOrDefaultAsync(p => p.Id == poolId && p.HostId == hostId);
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == hostId);
        if (pool is null || host is null)
        {
            return new OperationResult(OperationStatus.NotFound, $"No pool {poolId} on host {hostId}.");
        }

        if (pool.Path == host.ImagePool)
        {
            return new OperationResult(OperationStatus.Conflict, $"Pool '{pool.Name}' is the host's default pool (its image folder) and cannot be removed.");
        }

        var prefix = pool.Path + "/";
        var usedBy = await db.Vms.Where(v => v.HostId == hostId && v.CdromIsoPath != null && v.CdromIsoPath.StartsWith(prefix)).Select(v => v.Name).FirstOrDefaultAsync()
            ?? await (from d in db.Disks
                      join v in db.Vms on d.VmId equals v.Id
                      where v.HostId == hostId && d.Path.StartsWith(prefix)
                      select v.Name).FirstOrDefaultAsync();
        if (usedBy is not null)
        {
            return new OperationResult(OperationStatus.Conflict, $"Pool '{pool.Name}' is in use by VM '{usedBy}'.");
        }

        return await runner.RunAsync(new PoolCommand(
            host,
            pool,
            "pool.remove",
            $"{pool.Path} on host {host.Name}; its files stay",
            agent => agent.RemovePool(pool.Path),
            async () =>
            {
                db.StoragePools.Remove(pool);
                await db.SaveChangesAsync();
            },
            $"Pool '{pool.Name}' removed; its files stay in {pool.Path}.")
        {
            GoneIsDone = true,
        }, user);
    }

    /// <summary>At every registration: the agent's image folder is the host's default pool.</summary>
    public async Task EnsureDefaultPoolAsync(Guid hostId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.SingleOrDefaultAsync(h => h.Id == hostId);
        if (host?.ImagePool is not { } imagePool)
        {
            return;
        }

        var pools = await db.StoragePools.Where(p => p.HostId == hostId).ToListAsync();
        if (pools.All(p => p.Path != imagePool))
        {
            var name = pools.Any(p => p.Name == DefaultPoolName) ? $"{DefaultPoolName}-{pools.Count}" : DefaultPoolName;
            db.StoragePools.Add(new StoragePool { Id = Guid.NewGuid(), HostId = hostId, Name = name, Path = imagePool, ContentTypes = StorageContent.Iso | StorageContent.Images | StorageContent.Backups });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>After a registration: pools the inventory holds but the agent forgot (its data folder was lost) are given back to it.</summary>
    public async Task RestoreAgentPoolsAsync(Guid hostId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hostId);
        if (host is null)
        {
            return;
        }

        var pools = await db.StoragePools.AsNoTracking().Where(p => p.HostId == hostId && p.Path != host.ImagePool).ToListAsync();
        var known = pools.Count == 0 ? null : await storage.ListPoolsAsync(hostId, host.Name);
        if (known is null || !known.Result.Ok)
        {
            return;
        }

        foreach (var missing in pools.Where(p => known.Pools.All(k => k.Path != p.Path)))
        {
            await agents.SendAsync(hostId, host.Name, agent => agent.AddPool(missing.Path));
        }
    }
}
