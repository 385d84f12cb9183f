using WebVirt.Shared.Hosts;

namespace WebVirt.Web.Api;

public sealed record HostResponse
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required bool Connected { get; init; }
    public required bool Revoked { get; init; }
    public bool IsLocal { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public string? Hostname { get; init; }
    public string? CpuModel { get; init; }
    public int? CpuThreads { get; init; }
    public long? MemoryBytes { get; init; }
    public Accelerator? Accelerator { get; init; }
    public string? AcceleratorReason { get; init; }
    public string? QemuVersion { get; init; }
    public string? AgentVersion { get; init; }
    public long? StorageTotalBytes { get; init; }
    public long? StorageFreeBytes { get; init; }

    /// <summary>What keeps the host's VMs from being isolated as designed (no per-VM uid, no cgroup per VM).</summary>
    public IReadOnlyList<string> IsolationGaps { get; init; } = [];
}
