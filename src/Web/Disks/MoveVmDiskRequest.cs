using WebVirt.Shared.Vms;

namespace WebVirt.Web.Disks;

/// <summary>Moves a disk's image into another pool of the VM's host, optionally converting it; the old image is deleted.</summary>
public sealed record MoveVmDiskRequest
{
    public Guid PoolId { get; init; }

    /// <summary>Null keeps the disk's format.</summary>
    public DiskFormat? Format { get; init; }
}
