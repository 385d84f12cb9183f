namespace WebVirt.Web.Components.Shared;

internal static partial class VmRowSnapshotLog
{
    [LoggerMessage(EventId = 4250, Level = LogLevel.Warning, Message = "The shared VM list missed a change (VM {VmId}; all zeros: any VM); it is read again in full on next use")]
    public static partial void SnapshotUpdateFailed(this ILogger logger, Guid vmId, Exception error);
}
