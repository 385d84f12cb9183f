namespace WebVirt.Hypervisor.Networking;

/// <summary>A tap device as the host has it.</summary>
public sealed record TapDescription
{
    public required string Name { get; init; }

    /// <summary>The uid that may open it without privilege (QEMU's user); null when any privileged process only.</summary>
    public uint? OwnerUid { get; init; }

    /// <summary>The bridge it is enslaved to, if any.</summary>
    public string? Bridge { get; init; }

    public int Mtu { get; init; }

    /// <summary>Made for a multi-queue NIC (QEMU <c>queues=N</c>).</summary>
    public bool MultiQueue { get; init; }

    /// <summary>Administratively up (it has carrier only while QEMU holds it open).</summary>
    public bool Up { get; init; }

    public string OperState { get; init; } = "";

    /// <summary>Created by WebVirt (it carries the marker).</summary>
    public bool Managed { get; init; }
}
