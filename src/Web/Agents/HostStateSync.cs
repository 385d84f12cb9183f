using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Agents;

/// <summary>
/// Brings what agents report into the inventory. On every (re)connect the host's whole VM list is
/// reconciled: a VM whose actual state differs from the one the panel wants is flagged and shown, never
/// silently "fixed"; a VM deleted while its host was away is removed there now that the host is back.
/// </summary>
internal sealed class HostStateSync(
    IDbContextFactory<WebVirtDbContext> contexts,
    InventoryNotifier notifier,
    VmStateWriter states,
    IServiceScopeFactory scopes,
    Storage.PoolOperations pools,
    ILogger<HostStateSync> logger)
{
    public async Task OnRegisteredAsync(Guid hostId, AgentHello hello)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var host = await db.Hosts.SingleAsync(h => h.Id == hostId);
        HostRecordMapper.ApplyFacts(host, hello.Facts);
        host.Connected = true;
        host.LastSeenAt = DateTimeOffset.UtcNow;

        var reported = hello.Vms.ToDictionary(v => v.Uuid);

        // The list is applied under the VMs' write gates: a reply or push applied between reading the records and
        // saving them would otherwise be overwritten by what this (possibly older) list says.
        using var gates = await states.HoldAsync(await db.Vms.Where(v => v.HostId == hostId).Select(v => v.Id).ToListAsync());
        var records = await db.Vms.Where(v => v.HostId == hostId).ToListAsync();
        var pendingDeletions = new List<(Guid Id, bool RemoveDisks)>();
        foreach (var record in records)
        {
            if (record.PendingDeletion)
            {
                pendingDeletions.Add((record.Id, record.PendingDeletionRemovesDisks));
                continue;
            }

            if (reported.TryGetValue(record.Id, out var report))
            {
                // Ordered like every other report: the list may be older than a reply already applied.
                VmStateReconciler.ApplyReport(record, report, DateTimeOffset.UtcNow);
            }
            else
            {
                record.ActualState = VmPowerState.Unknown;
                record.StateMismatch = $"Host '{host.Name}' does not have this VM's definition.";
            }

            if (record.StateMismatch is { } mismatch)
            {
                AgentHubLog.StateMismatch(logger, record.Id, mismatch);
            }
        }

        foreach (var unknown in reported.Values.Where(r => records.All(v => v.Id != r.Uuid)))
        {
            AgentHubLog.UnknownVm(logger, hostId, unknown.Uuid, unknown.Name);
        }

        await db.SaveChangesAsync();
        gates.Dispose();
        await pools.EnsureDefaultPoolAsync(hostId);
        _ = Task.Run(() => pools.RestoreAgentPoolsAsync(hostId));
        notifier.NotifyHostChanged(hostId);
        // The host's coming back concerns every VM on it (their host state), changed or not.
        foreach (var record in records)
        {
            notifier.NotifyVmChanged(record.Id);
        }

        if (pendingDeletions.Count > 0)
        {
            // Not from inside the hub call: the agent answers commands only after Register has returned.
            _ = Task.Run(() => CompletePendingDeletionsAsync(hostId, pendingDeletions));
        }
    }

    /// <summary>A live change while connected: the agent saw it happen, so it is the new truth (unless a newer one is already applied).</summary>
    public Task OnVmReportAsync(Guid hostId, VmReport report) => states.ApplyPushedAsync(hostId, report);

    /// <summary>The host's agent went away; <paramref name="lastContact"/> is when it was last heard from (<see cref="HostContacts"/>).</summary>
    public async Task OnDisconnectedAsync(Guid hostId, DateTimeOffset lastContact)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Hosts.Where(h => h.Id == hostId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Connected, false).SetProperty(h => h.LastSeenAt, lastContact));
        notifier.NotifyHostChanged(hostId);
    }

    private async Task CompletePendingDeletionsAsync(Guid hostId, List<(Guid Id, bool RemoveDisks)> deletions)
    {
        using var scope = scopes.CreateScope();
        var operations = scope.ServiceProvider.GetRequiredService<Vms.VmOperations>();
        foreach (var (id, removeDisks) in deletions)
        {
            var result = await operations.CompletePendingDeletionAsync(id, removeDisks);
            if (!result.Succeeded)
            {
                AgentHubLog.PendingDeletionFailed(logger, id, hostId, result.Message);
            }
        }
    }
}
