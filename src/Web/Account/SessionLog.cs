namespace WebVirt.Web.Account;

internal static partial class SessionLog
{
    [LoggerMessage(2701, LogLevel.Warning, "Checking an open page of user {UserId} after their sign-ins were ended failed (the periodic check stays): {Message}")]
    public static partial void EndCheckFailed(ILogger logger, string userId, string message);
}
