namespace WebVirt.Shared.Vms;

public sealed record NicDefinition
{
    /// <summary>Short identifier unique within the VM (<c>net0</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Unicast MAC address, <c>52:54:00:xx:xx:xx</c> style.</summary>
    public required string MacAddress { get; init; }

    public NicModel Model { get; init; } = NicModel.Virtio;
    public NicMode Mode { get; init; } = NicMode.User;

    /// <summary>Pre-created tap device for <see cref="NicMode.Tap"/>.</summary>
    public string? TapDevice { get; init; }

    /// <summary>Host-to-guest port forwards for <see cref="NicMode.User"/> (NAT).</summary>
    public IReadOnlyList<PortForward> PortForwards { get; init; } = [];

    public int? BootOrder { get; init; }
}
