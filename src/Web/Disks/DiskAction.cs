namespace WebVirt.Web.Disks;

/// <summary>A disk operation running now on a VM: which disk, what, and (once recorded) the task that shows its progress.</summary>
public sealed record DiskAction(Guid Id, Guid VmId, string DiskId, string What, Guid? TaskId = null);
