using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Search;

/// <summary>
/// The top bar's search: VMs by name, host name or state ("running"), and hosts by name, limited to what the
/// user may see. One short query per search on the database, nothing cached per circuit.
/// </summary>
internal sealed class InventorySearch(IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions)
{
    public const int MaxVms = 15;
    public const int MaxHosts = 5;

    public async Task<IReadOnlyList<SearchHit>> FindAsync(ClaimsPrincipal user, string? text, CancellationToken cancellationToken = default)
    {
        var term = text?.Trim() ?? "";
        if (term.Length == 0)
        {
            return [];
        }

        var visibleVms = await permissions.VmsWithAsync(user, Privileges.VmAudit, cancellationToken);
        var pattern = $"%{EscapeLike(term)}%";
        var states = StatesMatching(term);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var vms = db.Vms.AsNoTracking().Where(v => !v.PendingDeletion);
        if (visibleVms is not null)
        {
            vms = vms.Where(v => visibleVms.Contains(v.Id));
        }

        // Tag matching plugs in here: when VmRecord has its Tags, add "or a tag is like the pattern" to this predicate.
        var vmHits = await vms
            .Where(v => EF.Functions.Like(v.Name, pattern, EscapeCharacter)
                || EF.Functions.Like(v.Host!.Name, pattern, EscapeCharacter)
                || states.Contains(v.ActualState))
            .OrderBy(v => v.Name)
            .Take(MaxVms)
            .Select(v => new { v.Id, v.Name, HostName = v.Host!.Name, v.ActualState })
            .ToListAsync(cancellationToken);

        var hostHits = await db.Hosts.AsNoTracking()
            .Where(h => h.RevokedAt == null && EF.Functions.Like(h.Name, pattern, EscapeCharacter))
            .OrderBy(h => h.Name)
            .Take(MaxHosts)
            .Select(h => new { h.Id, h.Name, h.Connected })
            .ToListAsync(cancellationToken);

        var hits = new List<SearchHit>(vmHits.Count + hostHits.Count);
        foreach (var vm in vmHits.OrderBy(v => !v.Name.Equals(term, StringComparison.OrdinalIgnoreCase)).ThenBy(v => v.Name, StringComparer.OrdinalIgnoreCase))
        {
            hits.Add(new SearchHit(SearchHitKind.Vm, vm.Id, vm.Name, $"{VmStateStyle.Label(vm.ActualState)} on {vm.HostName}", vm.ActualState, SearchHit.VmHref(vm.Id)));
        }

        foreach (var host in hostHits)
        {
            if (await permissions.HasAsync(user, AclPaths.Host(host.Id), Privileges.SysAudit, cancellationToken))
            {
                hits.Add(new SearchHit(SearchHitKind.Host, host.Id, host.Name, host.Connected ? "Host, connected" : "Host, disconnected", null, SearchHit.HostHref(host.Id)));
            }
        }

        return hits;
    }

    private const string EscapeCharacter = "\\";

    /// <summary>The states whose name or label starts with the term: "run" finds running VMs, "shut" shutting-down ones.</summary>
    internal static List<VmPowerState> StatesMatching(string term) =>
        term.Length < 3
            ? []
            : [.. Enum.GetValues<VmPowerState>().Where(s =>
                s.ToString().StartsWith(term, StringComparison.OrdinalIgnoreCase)
                || VmStateStyle.Label(s).StartsWith(term, StringComparison.OrdinalIgnoreCase))];

    /// <summary>A user's % and _ are literal characters, not wildcards.</summary>
    internal static string EscapeLike(string term) =>
        term.Replace(EscapeCharacter, EscapeCharacter + EscapeCharacter, StringComparison.Ordinal)
            .Replace("%", EscapeCharacter + "%", StringComparison.Ordinal)
            .Replace("_", EscapeCharacter + "_", StringComparison.Ordinal);
}
