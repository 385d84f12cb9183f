using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace WebVirt.Web.Vms;

internal sealed partial class VmOperations
{
    /// <summary>How many VMs one bulk action works on at a time: each is a round trip to its host's agent.</summary>
    private const int BulkParallelism = 4;

    /// <summary>
    /// Start, shutdown or stop several VMs: each one is its own operation (permission check, task, audit), so one
    /// refusal or failure does not hold back the others.
    /// </summary>
    public async Task<BulkPowerResult> PowerManyAsync(IReadOnlyList<Guid> vmIds, PowerAction action, ClaimsPrincipal user)
    {
        if (action is not (PowerAction.Start or PowerAction.Shutdown or PowerAction.Stop))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Bulk actions are start, shutdown and stop.");
        }

        Dictionary<Guid, string> names;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            names = await db.Vms.AsNoTracking().Where(v => vmIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Name);
        }

        var results = new ConcurrentDictionary<Guid, OperationResult>();
        await Parallel.ForEachAsync(vmIds.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = BulkParallelism }, async (id, _) =>
            results[id] = await PowerAsync(id, action, null, user));

        return new BulkPowerResult(action, [.. vmIds.Distinct().Select(id => (id, names.GetValueOrDefault(id, id.ToString()), results[id]))]);
    }
}
