using WebVirt.Shared.Hosts;

namespace WebVirt.Web.Components.Shared;

/// <summary>What the UI shows of a host.</summary>
public sealed record HostSummary(
    Guid Id,
    string Name,
    bool Connected,
    bool IsLocal,
    string? CpuModel,
    int? CpuThreads,
    long? MemoryBytes,
    long? StorageFreeBytes,
    long? StorageTotalBytes,
    Accelerator? Accelerator,
    string? AcceleratorReason,
    string? QemuVersion,
    DateTimeOffset? LastSeenAt,
    IReadOnlyList<string> IsolationGaps);
