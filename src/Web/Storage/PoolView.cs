using WebVirt.Web.Inventory;

namespace WebVirt.Web.Storage;

/// <summary>A pool as pages and the API show it: the inventory's record with what its host measures now.</summary>
public sealed record PoolView
{
    public required Guid Id { get; init; }
    public required Guid HostId { get; init; }
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required StorageContent ContentTypes { get; init; }
    public bool IsDefault { get; init; }
    public long? TotalBytes { get; init; }
    public long? FreeBytes { get; init; }

    /// <summary>Why size and free space are unknown (host offline, folder gone); null when measured.</summary>
    public string? Problem { get; init; }
}
