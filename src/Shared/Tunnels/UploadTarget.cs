namespace WebVirt.Shared.Tunnels;

/// <summary>Where the bytes of an <see cref="TunnelKind.Upload"/> tunnel go on the host.</summary>
/// <param name="PoolPath">The storage pool's folder; the agent refuses a folder that is not one of its pools.</param>
/// <param name="FileName">A plain file name (no folders), checked again by the agent.</param>
/// <param name="Offset">Where this chunk starts; it must equal the bytes the partial file already holds.</param>
/// <param name="Length">How many bytes this chunk carries.</param>
/// <param name="TotalLength">The whole file's size, so the agent can refuse what the pool cannot hold.</param>
public sealed record UploadTarget(string PoolPath, string FileName, long Offset, long Length, long TotalLength)
{
    /// <summary>Lower-case hex SHA-256 the whole file must have; checked with the last chunk, before the file enters the pool.</summary>
    public string? ExpectedSha256 { get; init; }
}
