namespace WebVirt.Shared.Storage;

/// <summary>One of an agent's storage pools as the host sees it now.</summary>
public sealed record PoolStatus
{
    public required string Path { get; init; }

    /// <summary>The agent's image folder: always a pool, and never removed.</summary>
    public bool IsDefault { get; init; }

    public long TotalBytes { get; init; }

    public long FreeBytes { get; init; }

    /// <summary>Why the pool could not be measured (its folder vanished, a disk failed); null when it is fine.</summary>
    public string? Error { get; init; }
}
