using WebVirt.Shared.Vms;

namespace WebVirt.Web.Disks;

/// <summary>
/// A disk's options. Bus, cache and discard go through the hardware changes (pending while the VM runs, as QEMU fixes
/// them at launch); I/O limits apply at once, live on a running VM.
/// </summary>
public sealed record UpdateDiskOptionsRequest
{
    public DiskBus Bus { get; init; } = DiskBus.Virtio;
    public DiskCache Cache { get; init; } = DiskCache.None;
    public bool Discard { get; init; } = true;

    /// <summary>Null (or all fields null) is unlimited.</summary>
    public DiskIoLimits? IoLimits { get; init; }
}
