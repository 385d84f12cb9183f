using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Snapshots;

/// <summary>A VM's snapshots (parents before children) and the one its disks derive from now (null: none).</summary>
public sealed record SnapshotListReply(AgentReply Result, IReadOnlyList<VmSnapshot> Snapshots, string? Current);
