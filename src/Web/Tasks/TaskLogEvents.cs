namespace WebVirt.Web.Tasks;

internal static partial class TaskLogEvents
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Task {TaskId} {Kind} on {TargetType} {TargetId} started by {UserName}")]
    public static partial void TaskStarted(this ILogger logger, Guid taskId, string kind, string targetType, string targetId, string userName);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Task {TaskId} {Kind} succeeded")]
    public static partial void TaskSucceeded(this ILogger logger, Guid taskId, string kind);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Task {TaskId} {Kind} failed: {Error}")]
    public static partial void TaskFailed(this ILogger logger, Guid taskId, string kind, string error);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Task {TaskId} had already ended ({Status}); its outcome stays as it was")]
    public static partial void TaskAlreadyEnded(this ILogger logger, Guid taskId, TaskState status);
}
