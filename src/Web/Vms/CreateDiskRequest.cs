using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

public sealed record CreateDiskRequest
{
    public long SizeMiB { get; init; } = 8192;
    public DiskFormat Format { get; init; } = DiskFormat.Qcow2;
    public DiskBus Bus { get; init; } = DiskBus.Virtio;
    public DiskCache Cache { get; init; } = DiskCache.None;

    /// <summary>LUKS-encrypt the disk (qcow2 only); the panel generates and keeps its key.</summary>
    public bool Encrypted { get; init; }
}
