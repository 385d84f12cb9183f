namespace WebVirt.Hypervisor.Networking;

/// <summary>What the host has under a bridge's name: whether it exists, what it is, and how it is set up.</summary>
public sealed record BridgeDescription
{
    public required string Name { get; init; }

    public required bool Exists { get; init; }

    /// <summary>ip's info_kind ("bridge" for a bridge; "" for a physical NIC); empty when it does not exist.</summary>
    public string Kind { get; init; } = "";

    public bool IsBridge => Kind == "bridge";

    public int Mtu { get; init; }

    /// <summary>Administratively up.</summary>
    public bool Up { get; init; }

    public string OperState { get; init; } = "";

    /// <summary>Created by WebVirt (it carries the marker), so WebVirt may delete it; false for an adopted bridge.</summary>
    public bool Managed { get; init; }

    public bool VlanFiltering { get; init; }

    /// <summary>"address/prefix", IPv4 and IPv6.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>The interfaces enslaved to it, sorted.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];
}
