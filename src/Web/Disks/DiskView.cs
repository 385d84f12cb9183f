using WebVirt.Shared.Vms;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

/// <summary>A VM's disk as pages and the API show it: its definition, its pool, and what the host measures of its image.</summary>
public sealed record DiskView
{
    public required DiskDefinition Disk { get; init; }
    public string FileName => Path.GetFileName(Disk.Path);
    public Guid? PoolId { get; init; }

    /// <summary>Null for an image outside every pool of the host.</summary>
    public string? PoolName { get; init; }

    /// <summary>Size as the guest sees it; the inventory's last measure when the host cannot be asked.</summary>
    public long? VirtualBytes { get; init; }

    /// <summary>Space the image takes on the host; null when not measured.</summary>
    public long? ActualBytes { get; init; }

    public int? SnapshotCount { get; init; }
    public string? BackingFile { get; init; }

    /// <summary>Why the image could not be measured; null when it was.</summary>
    public string? UsageProblem { get; init; }

    /// <summary>Bus, cache and discard this disk gets at the VM's next start, where they differ from now; else null.</summary>
    public HardwareDiskOptions? PendingOptions { get; init; }
}
