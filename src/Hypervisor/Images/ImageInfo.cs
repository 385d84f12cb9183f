namespace WebVirt.Hypervisor.Images;

/// <summary>What <c>qemu-img info --output=json</c> reports about one image (never its backing chain).</summary>
public sealed record ImageInfo
{
    /// <summary>qemu's format name ("qcow2", "raw", …); a string because a probe may name any format.</summary>
    public required string Format { get; init; }

    /// <summary>Size of the disk the guest sees, in bytes.</summary>
    public required long VirtualSize { get; init; }

    /// <summary>Bytes the file occupies on the host; absent when qemu cannot tell.</summary>
    public long? ActualSize { get; init; }

    public string? BackingFile { get; init; }
    public string? BackingFormat { get; init; }

    /// <summary>qcow2 external data file, whose clusters live outside the image.</summary>
    public string? DataFile { get; init; }

    public bool Encrypted { get; init; }

    /// <summary>Lazy-refcounts dirty flag; absent for formats without one.</summary>
    public bool? Dirty { get; init; }

    /// <summary>qcow2 corrupt bit: qemu found inconsistent metadata and will only open it read-only.</summary>
    public bool? Corrupt { get; init; }

    public long? ClusterSize { get; init; }

    public IReadOnlyList<ImageSnapshot> Snapshots { get; init; } = [];
}
