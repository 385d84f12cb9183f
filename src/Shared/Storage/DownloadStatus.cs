namespace WebVirt.Shared.Storage;

/// <summary>Where a download stands; <see cref="Result"/> is set once it ended.</summary>
public sealed record DownloadStatus
{
    public required Guid TransferId { get; init; }

    public long ReceivedBytes { get; init; }

    /// <summary>The length the server announced, when it did.</summary>
    public long? TotalBytes { get; init; }

    public UploadResult? Result { get; init; }
}
