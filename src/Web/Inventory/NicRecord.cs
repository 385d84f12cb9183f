using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>One network interface of a VM; the key is (VmId, NicId).</summary>
public sealed class NicRecord
{
    public Guid VmId { get; set; }

    /// <summary>Short identifier unique within the VM (<c>net0</c>).</summary>
    public required string NicId { get; set; }

    /// <summary>Index in the definition's NIC list, which keeps the list's order.</summary>
    public int Position { get; set; }

    public required string MacAddress { get; set; }
    public NicModel Model { get; set; } = NicModel.Virtio;
    public NicMode Mode { get; set; } = NicMode.User;
    public string? TapDevice { get; set; }
    public int? BootOrder { get; set; }

    /// <summary>Stored as one JSON column: a handful of small values always read with the NIC.</summary>
    public IReadOnlyList<PortForward> PortForwards { get; set; } = [];
}
