using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>One disk of a VM; the key is (VmId, DiskId).</summary>
public sealed class DiskRecord
{
    public Guid VmId { get; set; }

    /// <summary>Short identifier unique within the VM (<c>disk0</c>).</summary>
    public required string DiskId { get; set; }

    /// <summary>Index in the definition's disk list, which keeps the list's order.</summary>
    public int Position { get; set; }

    public required string Path { get; set; }
    public DiskFormat Format { get; set; } = DiskFormat.Qcow2;
    public DiskBus Bus { get; set; } = DiskBus.Virtio;
    public DiskCache Cache { get; set; } = DiskCache.None;
    public bool Discard { get; set; } = true;
    public bool ReadOnly { get; set; }

    public bool Encrypted { get; set; }

    /// <summary>The LUKS key of an encrypted disk, protected with ASP.NET Core Data Protection (never stored in the clear).</summary>
    public string? ProtectedKey { get; set; }
    public int? BootOrder { get; set; }

    /// <summary>I/O throttling (<see cref="DiskIoLimits"/>); all four null = unlimited.</summary>
    public long? ReadBytesPerSecond { get; set; }
    public long? WriteBytesPerSecond { get; set; }
    public long? ReadIops { get; set; }
    public long? WriteIops { get; set; }

    /// <summary>Virtual size as last measured on the host; not part of the definition.</summary>
    public long? SizeBytes { get; set; }
}
