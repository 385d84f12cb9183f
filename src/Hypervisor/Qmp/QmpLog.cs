using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Qmp;

internal static partial class QmpLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Connected to QMP at {SocketPath}, QEMU {Version}")]
    public static partial void Connected(this ILogger logger, string socketPath, QmpVersion version);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "QMP connection at {SocketPath} ended: {Reason}")]
    public static partial void Disconnected(this ILogger logger, string socketPath, QmpDisconnectReason reason, Exception? error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "QMP command {Command} sent with id {Id}")]
    public static partial void CommandSent(this ILogger logger, string command, long id);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "QMP reply to abandoned command {Command} (id {Id}) dropped")]
    public static partial void LateReplyDropped(this ILogger logger, string command, long id);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "QMP reply matches no pending command: {Reply}")]
    public static partial void UnmatchedReply(this ILogger logger, string reply);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Trace, Message = "QMP event {Name}")]
    public static partial void EventReceived(this ILogger logger, string name);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Unrecognised QMP message ignored: {Message}")]
    public static partial void UnknownMessage(this ILogger logger, string message);
}
