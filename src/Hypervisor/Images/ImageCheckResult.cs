namespace WebVirt.Hypervisor.Images;

/// <summary>The outcome of <c>qemu-img check</c>; corruption and leaks are results, not exceptions.</summary>
public sealed record ImageCheckResult
{
    /// <summary>False when the format has no metadata to check (raw); nothing was examined then.</summary>
    public bool IsSupported { get; init; } = true;

    public bool IsClean => Corruptions == 0 && Leaks == 0 && CheckErrors == 0;

    /// <summary>Metadata errors that can lose or expose data.</summary>
    public long Corruptions { get; init; }

    /// <summary>Clusters allocated but unused: wasted space, harmless to data.</summary>
    public long Leaks { get; init; }

    /// <summary>Errors that kept the check itself from completing parts of its work.</summary>
    public long CheckErrors { get; init; }

    public long CorruptionsFixed { get; init; }
    public long LeaksFixed { get; init; }
    public long? ImageEndOffset { get; init; }
    public long? TotalClusters { get; init; }
    public long? AllocatedClusters { get; init; }
    public long? FragmentedClusters { get; init; }
    public long? CompressedClusters { get; init; }

    /// <summary>qemu-img's description of each problem found (its stderr), empty when clean.</summary>
    public string Details { get; init; } = "";
}
