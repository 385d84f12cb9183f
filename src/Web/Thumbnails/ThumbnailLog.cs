namespace WebVirt.Web.Thumbnails;

internal static partial class ThumbnailLog
{
    [LoggerMessage(2601, LogLevel.Debug, "No thumbnail of VM {VmId}: {Reason}")]
    public static partial void CaptureFailed(ILogger logger, Guid vmId, string reason);

    [LoggerMessage(2602, LogLevel.Warning, "A thumbnail subscriber of VM {VmId} failed: {Reason}")]
    public static partial void SubscriberFailed(ILogger logger, Guid vmId, string reason);
}
