using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Records what an agent reports about a VM and compares it with what the panel wants. A difference is
/// written to <see cref="VmRecord.StateMismatch"/> for users to see; nothing here starts or stops a VM.
/// </summary>
internal static class VmStateReconciler
{
    /// <summary>
    /// Copies the report's actual state into the record, unless it is older than the last report applied (see
    /// <see cref="IsNewer"/>); true when anything users see changed.
    /// </summary>
    public static bool ApplyReport(VmRecord record, VmReport report, DateTimeOffset now)
    {
        if (record.Id != report.Uuid)
        {
            throw new ArgumentException($"The report is for VM {report.Uuid}, not {record.Id}.", nameof(report));
        }

        if (!IsNewer(record, report))
        {
            return false;
        }

        // Kept even when nothing users see changed, so that a report between the two that arrives late is still dropped.
        record.ReportSequence = Math.Max(record.ReportSequence, report.Sequence);
        var changed = record.ActualState != report.State
            || record.QemuStatus != report.QemuStatus
            || record.Pid != report.Pid
            || record.StartedAt != report.StartedAt
            || record.LastExit != report.LastExit;

        if (record.ActualState != report.State)
        {
            record.StateChangedAt = now;
        }

        record.ActualState = report.State;
        record.QemuStatus = report.QemuStatus;
        record.Pid = report.Pid;
        record.StartedAt = report.StartedAt;
        record.LastExit = report.LastExit;
        return Reconcile(record) || changed;
    }

    /// <summary>
    /// Whether <paramref name="report"/> is newer than the state the record holds. Pushed reports, replies and the
    /// Register list travel different ways and can arrive out of order; a sequence of 0 comes from an agent that
    /// does not order its reports, whose reports apply as they arrive.
    /// </summary>
    public static bool IsNewer(VmRecord record, VmReport report) => report.Sequence == 0 || report.Sequence > record.ReportSequence;

    /// <summary>
    /// Sets or clears <see cref="VmRecord.StateMismatch"/> from the desired and actual state (call it after
    /// changing <see cref="VmRecord.DesiredState"/> too); true when it changed.
    /// </summary>
    public static bool Reconcile(VmRecord record)
    {
        var mismatch = Describe(record.DesiredState, record.ActualState, record.LastExit);
        if (mismatch is null && IsInTransition(record.ActualState))
        {
            // On its way somewhere: neither confirm nor clear a mismatch until it settles.
            return false;
        }

        if (record.StateMismatch == mismatch)
        {
            return false;
        }

        record.StateMismatch = mismatch;
        return true;
    }

    private static string? Describe(VmPowerState desired, VmPowerState actual, string? lastExit)
    {
        var matches = desired switch
        {
            VmPowerState.Running => actual is VmPowerState.Running or VmPowerState.Paused
                or VmPowerState.Starting or VmPowerState.Migrating or VmPowerState.Unknown,
            VmPowerState.Stopped => actual is VmPowerState.Stopped or VmPowerState.ShuttingDown or VmPowerState.Unknown,
            _ => true,
        };

        if (matches)
        {
            return null;
        }

        var reason = lastExit is null || actual is not (VmPowerState.Stopped or VmPowerState.Crashed) ? "" : $" ({lastExit})";
        return $"Should be {Name(desired)} but the host reports it {Name(actual)}{reason}.";
    }

    private static bool IsInTransition(VmPowerState state) =>
        state is VmPowerState.Starting or VmPowerState.ShuttingDown or VmPowerState.Migrating or VmPowerState.Unknown;

    private static string Name(VmPowerState state) => state switch
    {
        VmPowerState.ShuttingDown => "shutting down",
        _ => state.ToString().ToLowerInvariant(),
    };
}
