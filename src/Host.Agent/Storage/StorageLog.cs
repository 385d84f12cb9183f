using Microsoft.Extensions.Logging;

namespace WebVirt.Host.Agent.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Accepted {Path} ({Bytes} bytes, {Format}, SHA-256 {Sha256})")]
    public static partial void FileAccepted(ILogger logger, string path, long bytes, string format, string sha256);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Refused {Path}: {Reason}")]
    public static partial void FileRefused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Transfer into {Path} interrupted at byte {Bytes}: {Reason}")]
    public static partial void ChunkInterrupted(ILogger logger, string path, long bytes, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Pool {Path} added")]
    public static partial void PoolAdded(ILogger logger, string path);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Pool {Path} removed (its files stay)")]
    public static partial void PoolRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Deleted {Path} from its pool")]
    public static partial void FileDeleted(ILogger logger, string path);

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Downloading {Url} into {Path}")]
    public static partial void DownloadStarted(ILogger logger, string url, string path);

    [LoggerMessage(EventId = 608, Level = LogLevel.Information, Message = "Upload chunk of {FileName} at {Offset} not stored: {Reason}")]
    public static partial void ChunkRefused(ILogger logger, string fileName, long offset, string reason);

    [LoggerMessage(EventId = 607, Level = LogLevel.Information, Message = "CD-ROM of VM {Uuid} now holds {IsoPath}")]
    public static partial void CdromChanged(ILogger logger, Guid uuid, string isoPath);

    [LoggerMessage(EventId = 609, Level = LogLevel.Information, Message = "Download into {Path} ended: {Outcome}")]
    public static partial void DownloadEnded(ILogger logger, string path, string outcome);

    [LoggerMessage(EventId = 610, Level = LogLevel.Error, Message = "Download into {Path} broke unexpectedly")]
    public static partial void DownloadCrashed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 611, Level = LogLevel.Warning, Message = "Pool {Path} is ignored: {Reason}")]
    public static partial void PoolIgnored(ILogger logger, string path, string reason);
}
