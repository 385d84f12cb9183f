using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Components.Shared;

/// <summary>
/// The UI's read queries for one user: only VMs they hold VM.Audit on, and only hosts they may audit or that
/// hold one of their VMs. Live updates go through these too, so an event never shows a circuit a VM it may
/// not see.
/// </summary>
internal sealed class PermittedQueries(IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions)
{
    public async Task<List<VmRow>> VmsAsync(ClaimsPrincipal user) =>
        await InventoryQueries.VmsAsync(contexts, await permissions.VmsWithAsync(user, Privileges.VmAudit));

    /// <summary>The VM's row, or null when it is gone or <paramref name="user"/> may not see it.</summary>
    public async Task<VmRow?> VmAsync(ClaimsPrincipal user, Guid id) =>
        await permissions.HasOnVmAsync(user, id, Privileges.VmAudit) ? await InventoryQueries.VmAsync(contexts, id) : null;

    public async Task<List<HostSummary>> HostsAsync(ClaimsPrincipal user, IReadOnlyCollection<VmRow> visibleVms)
    {
        var hosts = new List<HostSummary>();
        foreach (var host in await InventoryQueries.HostsAsync(contexts))
        {
            if (await MayShowHostAsync(user, host.Id, visibleVms))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    public async Task<HostSummary?> HostAsync(ClaimsPrincipal user, Guid id, IReadOnlyCollection<VmRow> visibleVms) =>
        await MayShowHostAsync(user, id, visibleVms) ? await InventoryQueries.HostAsync(contexts, id) : null;

    /// <summary>
    /// Adds to <paramref name="hosts"/> the host of any of <paramref name="visibleVms"/> it lacks: a VM that became
    /// visible after the list was read (created, or moved into a pool the user sees) makes its host visible too, and
    /// the host's connection decides what the VM's row shows (an offline host's VMs are Unknown, never Running).
    /// </summary>
    public async Task AddMissingHostsAsync(ClaimsPrincipal user, List<HostSummary> hosts, IReadOnlyCollection<VmRow> visibleVms)
    {
        foreach (var hostId in visibleVms.Select(v => v.HostId).Distinct().Where(id => !hosts.Exists(h => h.Id == id)).ToList())
        {
            SortedList.Replace(hosts, hostId, await HostAsync(user, hostId, visibleVms), h => h.Id, h => h.Name);
        }
    }

    /// <summary>The hosts <paramref name="user"/> may create VMs on (VM.Allocate on the host).</summary>
    public async Task<List<HostSummary>> HostsForNewVmsAsync(ClaimsPrincipal user)
    {
        var hosts = new List<HostSummary>();
        foreach (var host in await InventoryQueries.HostsAsync(contexts))
        {
            if (await permissions.HasAsync(user, AclPaths.Host(host.Id), Privileges.VmAllocate))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    private async Task<bool> MayShowHostAsync(ClaimsPrincipal user, Guid hostId, IReadOnlyCollection<VmRow> visibleVms) =>
        visibleVms.Any(v => v.HostId == hostId) || await permissions.HasAsync(user, AclPaths.Host(hostId), Privileges.SysAudit);
}
