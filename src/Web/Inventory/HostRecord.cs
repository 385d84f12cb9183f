using WebVirt.Shared.Hosts;

using WebVirt.Shared.Agents;

namespace WebVirt.Web.Inventory;

/// <summary>
/// A host that runs an agent. The facts are null until the agent first registers;
/// the host token itself is never stored, only its SHA-256 (<see cref="HostTokens"/>).
/// </summary>
public sealed class HostRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the host token.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset TokenCreatedAt { get; set; }

    /// <summary>Set when the host was revoked: its agent is refused from then on.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The host of the panel's embedded agent.</summary>
    public bool IsLocal { get; set; }

    public string? Hostname { get; set; }
    public string? CpuModel { get; set; }
    public int? CpuThreads { get; set; }
    public long? MemoryBytes { get; set; }
    public Accelerator? Accelerator { get; set; }
    public string? AcceleratorReason { get; set; }
    public string? QemuVersion { get; set; }
    public string? AgentVersion { get; set; }
    public string? ImagePool { get; set; }
    public long? StorageTotalBytes { get; set; }
    public long? StorageFreeBytes { get; set; }

    /// <summary>What keeps the host's VMs from being isolated as designed, one per line (<see cref="HostFacts.IsolationGaps"/>); null when nothing does.</summary>
    public string? IsolationGaps { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }
    public bool Connected { get; set; }
}
