namespace WebVirt.Web.Storage;

internal static partial class UploadLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Upload of {FileName} cut at byte {Bytes}: {Reason}")]
    public static partial void ChunkCut(ILogger logger, string fileName, long bytes, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Upload tunnel for {FileName} broke at byte {Bytes}: {Reason}")]
    public static partial void TunnelBroke(ILogger logger, string fileName, long bytes, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "The host's answer to the chunk of {FileName} at byte {Offset} was lost: {Reason}")]
    public static partial void AnswerLost(ILogger logger, string fileName, long offset, string reason);

    [LoggerMessage(EventId = 704, Level = LogLevel.Debug, Message = "Chunk of {FileName} at byte {Offset} written into the local pool directly")]
    public static partial void WrittenDirectly(ILogger logger, string fileName, long offset);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Following download {TransferId} failed: {Reason}")]
    public static partial void DownloadWatchFailed(ILogger logger, Guid transferId, string reason);
}
