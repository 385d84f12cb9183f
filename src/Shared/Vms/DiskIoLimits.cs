namespace WebVirt.Shared.Vms;

/// <summary>
/// A disk's I/O throttling, as Proxmox offers it per disk; null in a field means unlimited. QEMU applies it through
/// a throttle group per disk, which can also be changed while the VM runs.
/// </summary>
public sealed record DiskIoLimits
{
    public long? ReadBytesPerSecond { get; init; }
    public long? WriteBytesPerSecond { get; init; }
    public long? ReadIops { get; init; }
    public long? WriteIops { get; init; }

    public bool IsUnlimited => ReadBytesPerSecond is null && WriteBytesPerSecond is null && ReadIops is null && WriteIops is null;
}
