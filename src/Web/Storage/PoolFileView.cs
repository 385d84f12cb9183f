using WebVirt.Shared.Storage;

namespace WebVirt.Web.Storage;

/// <summary>A file in a pool as pages and the API show it, with the SHA-256 the library recorded.</summary>
public sealed record PoolFileView(string Name, string Path, PoolFileKind Kind, long SizeBytes, DateTimeOffset ModifiedAt, string? Sha256, string? UsedBy);
