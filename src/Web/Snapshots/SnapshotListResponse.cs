using WebVirt.Shared.Snapshots;

namespace WebVirt.Web.Snapshots;

/// <summary>A VM's snapshots, parents before children, and the one it is at now (null: none).</summary>
public sealed record SnapshotListResponse(IReadOnlyList<VmSnapshot> Snapshots, string? Current);
