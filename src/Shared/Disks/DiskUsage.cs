using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Disks;

/// <summary>What a disk image holds on the host: its size as the guest sees it against the space it takes.</summary>
public sealed record DiskUsage
{
    public required string DiskId { get; init; }
    public required string Path { get; init; }
    public DiskFormat Format { get; init; }
    public long VirtualBytes { get; init; }
    public long ActualBytes { get; init; }
    public int SnapshotCount { get; init; }

    /// <summary>The image this one is an overlay of (linked clones), or null.</summary>
    public string? BackingFile { get; init; }

    /// <summary>Why the image could not be read, or null.</summary>
    public string? Error { get; init; }
}
