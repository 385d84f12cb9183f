namespace WebVirt.Shared.Agents;

/// <summary>A disk image the agent creates while defining a VM: the definition's disk with this id, of this size.</summary>
public sealed record NewDisk(string DiskId, long SizeBytes);
