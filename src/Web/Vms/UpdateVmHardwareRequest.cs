using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>
/// The VM's hardware as the user wants it (PUT: the whole section). Disks are changed by the storage
/// operations; only their boot order and their launch-time options (bus, cache, discard) are set here.
/// </summary>
public sealed record UpdateVmHardwareRequest
{
    public CpuTopology Cpu { get; init; } = new();
    public int MemoryMiB { get; init; } = 1024;

    /// <summary>Null removes the CD-ROM drive; a drive with no ISO path is an empty drive.</summary>
    public CdromDefinition? Cdrom { get; init; }

    /// <summary>The complete NIC list, in order; a NIC without an id is added, one left out is removed.</summary>
    public IReadOnlyList<HardwareNicRequest> Nics { get; init; } = [];

    /// <summary>Boot order per disk id (null: not bootable); a disk left out keeps its boot order.</summary>
    public IReadOnlyDictionary<string, int?> DiskBootOrders { get; init; } = new Dictionary<string, int?>();

    /// <summary>Bus, cache and discard per disk id; a disk left out keeps its options.</summary>
    public IReadOnlyDictionary<string, HardwareDiskOptions> DiskOptions { get; init; } = new Dictionary<string, HardwareDiskOptions>();
}
