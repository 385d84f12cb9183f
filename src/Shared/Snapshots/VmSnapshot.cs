namespace WebVirt.Shared.Snapshots;

/// <summary>One snapshot of a VM as the agent records it: a node of the VM's snapshot tree.</summary>
public sealed record VmSnapshot
{
    public required string Name { get; init; }
    public string? Description { get; init; }

    /// <summary>The snapshot the VM was at when this one was taken; null for a root.</summary>
    public string? Parent { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether RAM and device state were saved too (a running VM reverts to the very instant).</summary>
    public bool WithMemory { get; init; }

    /// <summary>The disk id whose image holds the saved RAM, when <see cref="WithMemory"/>.</summary>
    public string? VmStateDisk { get; init; }

    /// <summary>The QEMU node names whose images hold the snapshot (disk ids, and <c>ovmfvars</c> for UEFI variables).</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
}
