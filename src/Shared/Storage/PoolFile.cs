namespace WebVirt.Shared.Storage;

/// <summary>A file in a pool's folder.</summary>
public sealed record PoolFile(string Name, PoolFileKind Kind, long SizeBytes, DateTimeOffset ModifiedAt);
