using WebVirt.Shared.Vms;

namespace WebVirt.Web.Disks;

/// <summary>
/// Adds a disk to a VM. A new or imported disk's image is created in <see cref="PoolId"/> under a name the panel
/// chooses (<c>{vm uuid}-{disk id}.{qcow2|raw}</c>); an existing one is <see cref="FileName"/> in that pool.
/// </summary>
public sealed record AddVmDiskRequest
{
    public DiskSource Source { get; init; } = DiskSource.New;

    /// <summary>The pool the new image goes into; for <see cref="DiskSource.Existing"/>, the pool holding the file.</summary>
    public Guid PoolId { get; init; }

    /// <summary>Size of a new disk.</summary>
    public long? SizeMiB { get; init; }

    /// <summary>Import: the pool of the source file (default: <see cref="PoolId"/>).</summary>
    public Guid? SourcePoolId { get; init; }

    /// <summary>Import: the source file; Existing: the image file to attach. A plain file name in the pool.</summary>
    public string? FileName { get; init; }

    /// <summary>Import: the format the source file is read as (forced: never probed from its content).</summary>
    public DiskFormat? ImportFormat { get; init; }

    /// <summary>The disk's format: of the new image (New, Import) or of the existing file (Existing).</summary>
    public DiskFormat Format { get; init; } = DiskFormat.Qcow2;

    public DiskBus Bus { get; init; } = DiskBus.Virtio;
    public DiskCache Cache { get; init; } = DiskCache.None;
    public bool Discard { get; init; } = true;
    public DiskIoLimits? IoLimits { get; init; }

    /// <summary>A new qcow2 disk encrypted with LUKS; the panel generates and keeps its key.</summary>
    public bool Encrypted { get; init; }
}
