using WebVirt.Web.Operations;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

/// <summary>A VM's one disk slot (<see cref="DiskActivity"/>) as a pipeline command holds it.</summary>
internal sealed class DiskSlot(DiskActivity activity, DiskAction action) : IVmCommandSlot
{
    /// <summary>The slot, or the conflict with the disk action that holds it.</summary>
    public static (IVmCommandSlot? Slot, OperationResult? Busy) Take(DiskActivity activity, Guid vmId, string diskId, string what)
    {
        var action = new DiskAction(Guid.NewGuid(), vmId, diskId, what);
        return activity.TryBegin(action, out var other)
            ? (new DiskSlot(activity, action), null)
            : (null, new OperationResult(OperationStatus.Conflict, $"Another disk action ({other!.What} of {other.DiskId}) is running on this VM; try again when it has finished."));
    }

    public void TaskStarted(Guid taskId) => activity.SetTask(action, taskId);

    /// <summary>Frees the slot; again is harmless, since only the action that holds it frees it.</summary>
    public void Dispose() => activity.End(action);
}
