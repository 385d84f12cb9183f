namespace WebVirt.Shared.Snapshots;

/// <summary>
/// Take a snapshot named <paramref name="Name"/>. <paramref name="WithMemory"/> saves RAM too (running VMs only);
/// progress goes to the panel's task <paramref name="TaskId"/> when given.
/// </summary>
public sealed record SnapshotRequest(Guid VmUuid, string Name, string? Description, bool WithMemory, Guid? TaskId);
