namespace WebVirt.Web.Snapshots;

/// <summary>POST /api/v1/vms/{id}/snapshots. <see cref="WithMemory"/> saves the running guest's RAM too.</summary>
public sealed record TakeSnapshotRequest
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool WithMemory { get; init; }
}
