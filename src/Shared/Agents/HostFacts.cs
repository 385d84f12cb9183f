using WebVirt.Shared.Hosts;

namespace WebVirt.Shared.Agents;

/// <summary>What an agent tells the panel about its host when it registers.</summary>
public sealed record HostFacts
{
    public required string Hostname { get; init; }
    public required string CpuModel { get; init; }
    public required int CpuThreads { get; init; }
    public required long MemoryBytes { get; init; }
    public required Accelerator Accelerator { get; init; }
    public required string AcceleratorReason { get; init; }
    public required string QemuVersion { get; init; }
    public required string AgentVersion { get; init; }

    /// <summary>The folder where the agent keeps disk images (the default directory pool).</summary>
    public required string ImagePool { get; init; }

    public required long StorageTotalBytes { get; init; }
    public required long StorageFreeBytes { get; init; }

    /// <summary>What keeps this host's VMs from being isolated as designed (no per-VM uid, no cgroup per VM); empty when nothing does.</summary>
    public IReadOnlyList<string> IsolationGaps { get; init; } = [];
}
