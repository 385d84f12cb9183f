using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class VmStateReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ApplyReport_CopiesActualStateAndStampsTheChange()
    {
        var record = Vm(VmPowerState.Running);
        var started = Now.AddMinutes(-1);

        var changed = VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Running, pid: 4242, startedAt: started), Now);

        Assert.True(changed);
        Assert.Equal(VmPowerState.Running, record.ActualState);
        Assert.Equal("running", record.QemuStatus);
        Assert.Equal(4242, record.Pid);
        Assert.Equal(started, record.StartedAt);
        Assert.Equal(Now, record.StateChangedAt);
        Assert.Null(record.StateMismatch);
    }

    [Fact]
    public void ApplyReport_SameReportAgain_ReportsNoChange()
    {
        var record = Vm(VmPowerState.Running);
        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Running), Now);

        Assert.False(VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Running), Now.AddMinutes(1)));
        Assert.Equal(Now, record.StateChangedAt);
    }

    [Fact]
    public void ApplyReport_StoppedWhileWantedRunning_SetsMismatchAndChangesNothingElse()
    {
        var record = Vm(VmPowerState.Running);

        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Stopped, lastExit: "guest-shutdown"), Now);

        Assert.Equal("Should be running but the host reports it stopped (guest-shutdown).", record.StateMismatch);
        Assert.Equal(VmPowerState.Running, record.DesiredState);
    }

    [Fact]
    public void ApplyReport_RunningWhileWantedStopped_SetsMismatch()
    {
        var record = Vm(VmPowerState.Stopped);

        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Running), Now);

        Assert.Equal("Should be stopped but the host reports it running.", record.StateMismatch);
    }

    [Fact]
    public void ApplyReport_InTransition_KeepsMismatchUntilSettled()
    {
        var record = Vm(VmPowerState.Running);
        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Stopped), Now);

        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Starting), Now);
        Assert.NotNull(record.StateMismatch);

        VmStateReconciler.ApplyReport(record, Report(record, VmPowerState.Running), Now);
        Assert.Null(record.StateMismatch);
    }

    [Theory]
    [InlineData(VmPowerState.Running, VmPowerState.Paused)]
    [InlineData(VmPowerState.Stopped, VmPowerState.ShuttingDown)]
    [InlineData(VmPowerState.Running, VmPowerState.Unknown)]
    public void ApplyReport_CompatibleState_IsNoMismatch(VmPowerState desired, VmPowerState actual)
    {
        var record = Vm(desired);

        VmStateReconciler.ApplyReport(record, Report(record, actual), Now);

        Assert.Null(record.StateMismatch);
    }

    [Fact]
    public void ApplyReport_OtherVm_Throws()
    {
        var record = Vm(VmPowerState.Running);

        Assert.Throws<ArgumentException>(() => VmStateReconciler.ApplyReport(
            record, Report(Vm(VmPowerState.Running), VmPowerState.Running), Now));
    }

    private static VmRecord Vm(VmPowerState desired) => new() { Id = Guid.NewGuid(), Name = "web01", DesiredState = desired };

    private static VmReport Report(
        VmRecord record, VmPowerState state, int? pid = null, DateTimeOffset? startedAt = null, string? lastExit = null) => new()
    {
        Uuid = record.Id,
        Name = record.Name,
        State = state,
        QemuStatus = state.ToString().ToLowerInvariant(),
        Pid = pid,
        StartedAt = startedAt,
        LastExit = lastExit,
    };
}
