using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Disks;

/// <summary>
/// Adds a disk to a VM. Exactly one source: a new empty image of <see cref="SizeBytes"/> at <see cref="Disk"/>'s
/// path; an image converted from <see cref="ImportFrom"/> (a file in a pool, read as <see cref="ImportFormat"/> and
/// never with a backing file it names); or, with neither, the existing image already at the disk's path (screened
/// like an upload). The disk's path lies directly in one of the host's pools. On a running VM the disk is
/// hot-plugged where the bus allows it.
/// </summary>
public sealed record AddDiskRequest
{
    public required Guid Uuid { get; init; }

    public required DiskDefinition Disk { get; init; }

    public long? SizeBytes { get; init; }

    public string? ImportFrom { get; init; }

    public DiskFormat? ImportFormat { get; init; }

    /// <summary>The panel's task that the agent reports progress to (image conversion).</summary>
    public Guid? TaskId { get; init; }
}
