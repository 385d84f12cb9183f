namespace WebVirt.Hypervisor.Networking;

/// <summary>What <c>ip -json -details link show</c> says about one interface, reduced to what the plumbing uses.</summary>
internal sealed record LinkDetails
{
    public required string Name { get; init; }

    /// <summary>linkinfo's info_kind ("bridge", "tun", "veth" …); empty for a device without one (a physical NIC, lo).</summary>
    public required string Kind { get; init; }

    public required int Mtu { get; init; }

    /// <summary>Administratively up (the UP flag), whether or not it has carrier.</summary>
    public required bool Up { get; init; }

    public required string OperState { get; init; }

    public string? Master { get; init; }

    public string? Alias { get; init; }

    /// <summary>For a bridge: whether vlan_filtering is on.</summary>
    public bool VlanFiltering { get; init; }

    /// <summary>For a tun device: "tap" or "tun".</summary>
    public string? TunType { get; init; }

    /// <summary>For a tun device: the uid allowed to open it without privilege (ip shows it as info_data.user).</summary>
    public uint? TunOwner { get; init; }

    /// <summary>For a tun device: made with IFF_MULTI_QUEUE (QEMU's queues=N needs it; a single-queue open of it fails).</summary>
    public bool TunMultiQueue { get; init; }

    public bool Managed => Alias == NetworkMarker.ManagedAlias;
}
