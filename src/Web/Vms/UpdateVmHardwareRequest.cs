using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>
/// The VM's hardware as the user wants it. Every field is optional: one the request leaves out (null) keeps its
/// current value, never a default, so <c>{"memoryMiB":2048}</c> changes the memory and nothing else. Disks are
/// changed by the storage operations; only their boot order and their launch-time options (bus, cache, discard)
/// are set here.
/// </summary>
public sealed record UpdateVmHardwareRequest
{
    /// <summary>The whole topology (sockets, cores, threads, model); null keeps it.</summary>
    public CpuTopology? Cpu { get; init; }

    public int? MemoryMiB { get; init; }

    /// <summary>The CD-ROM drive, added if the VM has none; a drive with no ISO path is an empty drive. Null keeps the drive as it is.</summary>
    public CdromDefinition? Cdrom { get; init; }

    /// <summary>Removes the CD-ROM drive (a left-out <see cref="Cdrom"/> keeps it); cannot be combined with <see cref="Cdrom"/>.</summary>
    public bool RemoveCdrom { get; init; }

    /// <summary>The complete NIC list, in order; a NIC without an id is added, one left out is removed. Null keeps the NICs.</summary>
    public IReadOnlyList<HardwareNicRequest>? Nics { get; init; }

    /// <summary>Boot order per disk id (null: not bootable); a disk left out keeps its boot order.</summary>
    public IReadOnlyDictionary<string, int?> DiskBootOrders { get; init; } = new Dictionary<string, int?>();

    /// <summary>Bus, cache and discard per disk id; a disk left out keeps its options.</summary>
    public IReadOnlyDictionary<string, HardwareDiskOptions> DiskOptions { get; init; } = new Dictionary<string, HardwareDiskOptions>();
}
