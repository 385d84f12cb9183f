namespace WebVirt.Shared.Vms;

public sealed record DiskDefinition
{
    /// <summary>Short identifier unique within the VM (<c>disk0</c>); becomes the QEMU node and device id.</summary>
    public required string Id { get; init; }

    /// <summary>Absolute path of the image file on the host.</summary>
    public required string Path { get; init; }

    public DiskFormat Format { get; init; } = DiskFormat.Qcow2;
    public DiskBus Bus { get; init; } = DiskBus.Virtio;
    public DiskCache Cache { get; init; } = DiskCache.None;
    public bool Discard { get; init; } = true;
    public bool ReadOnly { get; init; }

    /// <summary>LUKS-encrypted qcow2: QEMU needs the disk's key, which the agent receives at start and never stores.</summary>
    public bool Encrypted { get; init; }

    /// <summary>Throttling of this disk's reads and writes; null = unlimited.</summary>
    public DiskIoLimits? IoLimits { get; init; }

    /// <summary>Position in the boot order (1 = first); null = not bootable.</summary>
    public int? BootOrder { get; init; }
}
