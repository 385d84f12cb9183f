using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Disks;

/// <summary>Moves a disk's image into another pool of the same host, optionally converting its format; the old image is deleted when asked.</summary>
public sealed record MoveDiskRequest
{
    public required Guid Uuid { get; init; }

    public required string DiskId { get; init; }

    public required string TargetPool { get; init; }

    /// <summary>Null keeps the disk's format.</summary>
    public DiskFormat? TargetFormat { get; init; }

    public bool DeleteSource { get; init; } = true;

    public Guid? TaskId { get; init; }
}
