namespace WebVirt.Web.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(3001, LogLevel.Warning, "Created the first administrator '{UserName}' with {PasswordSource}")]
    public static partial void AdminCreated(ILogger logger, string userName, string passwordSource);
}
