using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>
/// The one writer of a VM's reported state: pushed reports, reports carried in replies and the state an operation
/// asks for all pass here. Each write reads the record afresh under the VM's gate, applies only a report newer than
/// the one it holds (<see cref="VmStateReconciler.IsNewer"/>), saves once and raises one change event, and only
/// when something changed; so a reply that raced a pushed crash cannot put the VM back to Running.
/// </summary>
internal sealed class VmStateWriter(IDbContextFactory<WebVirtDbContext> contexts, InventoryNotifier notifier, TimeProvider clock)
{
    // Striped rather than one gate per VM: bounded memory, and two VMs rarely share a stripe.
    private readonly SemaphoreSlim[] gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// A report the host pushed: the agent saw it happen, so a settled Running or Stopped is also what the VM should
    /// now be. Null when the host has no such VM in the panel.
    /// </summary>
    public Task<VmStateSnapshot?> ApplyPushedAsync(Guid hostId, VmReport report) =>
        WriteAsync(report.Uuid, hostId, record =>
        {
            if (!VmStateReconciler.IsNewer(record, report))
            {
                return false;
            }

            var desired = report.State is VmPowerState.Stopped or VmPowerState.Running && record.DesiredState != report.State;
            if (desired)
            {
                record.DesiredState = report.State;
            }

            return VmStateReconciler.ApplyReport(record, report, clock.GetUtcNow()) | desired;
        });

    /// <summary>
    /// The outcome of a command: the state the user asked for (null: unchanged) and the report in the agent's reply
    /// (null: none), in one save. Null when the VM was deleted meanwhile.
    /// </summary>
    public Task<VmStateSnapshot?> ApplyOutcomeAsync(Guid vmId, VmPowerState? desired, VmReport? report) =>
        WriteAsync(vmId, null, record =>
        {
            var changed = false;
            if (desired is { } wanted && record.DesiredState != wanted)
            {
                record.DesiredState = wanted;
                changed = true;
            }

            return report is null ? VmStateReconciler.Reconcile(record) | changed : VmStateReconciler.ApplyReport(record, report, clock.GetUtcNow()) | changed;
        });

    /// <summary>
    /// Holds the gates of these VMs for a batch write of their state outside this class (a host's Register list),
    /// so no single write can land between the batch's read and its save. Taken in one order: two holders cannot deadlock.
    /// </summary>
    public async Task<IDisposable> HoldAsync(IEnumerable<Guid> vmIds)
    {
        var held = new List<SemaphoreSlim>();
        try
        {
            foreach (var index in vmIds.Select(GateIndex).Distinct().Order())
            {
                await gates[index].WaitAsync();
                held.Add(gates[index]);
            }
        }
        catch
        {
            held.ForEach(gate => gate.Release());
            throw;
        }

        return new HeldGates(held);
    }

    private int GateIndex(Guid vmId) => (vmId.GetHashCode() & int.MaxValue) % gates.Length;

    private async Task<VmStateSnapshot?> WriteAsync(Guid vmId, Guid? hostId, Func<VmRecord, bool> change)
    {
        var gate = gates[GateIndex(vmId)];
        await gate.WaitAsync();
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            var record = await db.Vms.SingleOrDefaultAsync(v => v.Id == vmId && (hostId == null || v.HostId == hostId));
            if (record is null)
            {
                return null;
            }

            var visible = change(record);
            if (db.ChangeTracker.HasChanges())
            {
                try
                {
                    await db.SaveChangesAsync();
                }
                catch (DbUpdateConcurrencyException)
                {
                    // Deleted while this write waited for the gate.
                    return null;
                }
            }

            if (visible)
            {
                notifier.NotifyVmChanged(vmId);
            }

            return new VmStateSnapshot(record.ActualState, record.DesiredState, record.PendingDeletion);
        }
        finally
        {
            gate.Release();
        }
    }
}
