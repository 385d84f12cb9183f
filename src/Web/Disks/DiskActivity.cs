using System.Collections.Concurrent;

namespace WebVirt.Web.Disks;

/// <summary>
/// The disk operation running on each VM. One at a time per VM: two racing changes (adding two disks that would take
/// the same id, moving a disk while it is resized) get a clear conflict instead of a half-done state. Pages read it
/// to show an inline progress on the disk's row.
/// </summary>
internal sealed class DiskActivity
{
    private readonly ConcurrentDictionary<Guid, DiskAction> _running = new();

    /// <summary>Marks the VM busy with <paramref name="action"/>: true when it was free, else false with the action in the way.</summary>
    public bool TryBegin(DiskAction action, out DiskAction? inTheWay)
    {
        if (_running.TryAdd(action.VmId, action))
        {
            inTheWay = null;
            return true;
        }

        inTheWay = _running.GetValueOrDefault(action.VmId) ?? action;
        return false;
    }

    /// <summary>Records the task of a begun action.</summary>
    public void SetTask(DiskAction action, Guid taskId)
    {
        if (_running.TryGetValue(action.VmId, out var current) && current.Id == action.Id)
        {
            _running.TryUpdate(action.VmId, current with { TaskId = taskId }, current);
        }
    }

    /// <summary>Frees the VM, if <paramref name="action"/> is still what holds it.</summary>
    public void End(DiskAction action)
    {
        if (_running.TryGetValue(action.VmId, out var current) && current.Id == action.Id)
        {
            _running.TryRemove(new KeyValuePair<Guid, DiskAction>(action.VmId, current));
        }
    }

    public DiskAction? RunningOn(Guid vmId) => _running.GetValueOrDefault(vmId);
}
