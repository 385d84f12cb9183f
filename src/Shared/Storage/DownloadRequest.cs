namespace WebVirt.Shared.Storage;

/// <summary>Asks an agent to fetch a file over HTTP(S) into one of its pools; it is checked like an upload.</summary>
public sealed record DownloadRequest
{
    public required Guid TransferId { get; init; }
    public required string PoolPath { get; init; }
    public required string FileName { get; init; }
    public required Uri Url { get; init; }

    /// <summary>The largest file accepted; a longer body is cut off and the download fails.</summary>
    public required long MaxBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 the file must have, when the user gave one.</summary>
    public string? ExpectedSha256 { get; init; }
}
