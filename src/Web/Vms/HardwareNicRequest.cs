using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>One NIC in an <see cref="UpdateVmHardwareRequest"/>; the panel keeps an existing NIC's MAC address.</summary>
public sealed record HardwareNicRequest
{
    /// <summary>The id of an existing NIC (<c>net0</c>); null for a new one.</summary>
    public string? Id { get; init; }

    public NicModel Model { get; init; } = NicModel.Virtio;
    public NicMode Mode { get; init; } = NicMode.User;
    public string? TapDevice { get; init; }
    public IReadOnlyList<PortForward> PortForwards { get; init; } = [];
    public int? BootOrder { get; init; }
}
