using Microsoft.Extensions.Logging;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Connection;

internal static partial class PanelConnectionLog
{
    [LoggerMessage(3101, LogLevel.Warning, "Agent:PanelUrl is not set: the embedded agent does not connect to a panel")]
    public static partial void NoPanelUrl(ILogger logger);

    [LoggerMessage(3102, LogLevel.Warning, "The panel at {HubUrl} is reached over plain http: the host token and all commands travel unencrypted; use https")]
    public static partial void Cleartext(ILogger logger, Uri hubUrl);

    [LoggerMessage(3103, LogLevel.Information, "Connected to the panel at {HubUrl}")]
    public static partial void Connected(ILogger logger, Uri hubUrl);

    [LoggerMessage(3104, LogLevel.Warning, "Could not connect to the panel at {HubUrl} (attempt {Attempt}); retrying in {Delay}: {Error}")]
    public static partial void ConnectFailed(ILogger logger, Uri hubUrl, int attempt, TimeSpan delay, string error);

    [LoggerMessage(3105, LogLevel.Error, "The panel at {HubUrl} refused this agent's token (HTTP 401/403): check Agent:Token, or whether this host was removed or its token revoked in the panel. Retrying in {Delay}")]
    public static partial void Unauthorized(ILogger logger, Uri hubUrl, TimeSpan delay);

    [LoggerMessage(3106, LogLevel.Information, "Registered with the panel as host {HostId}: {Message}")]
    public static partial void Registered(ILogger logger, Guid hostId, string message);

    [LoggerMessage(3107, LogLevel.Error, "The panel refused this agent: {Message} (this agent speaks protocol version {ProtocolVersion}). Not retrying: upgrade the agent or the panel so that their versions match, then restart the agent")]
    public static partial void Refused(ILogger logger, string message, int protocolVersion);

    [LoggerMessage(3108, LogLevel.Warning, "Registering with the panel failed; reconnecting: {Error}")]
    public static partial void RegisterFailed(ILogger logger, string error);

    [LoggerMessage(3109, LogLevel.Warning, "Lost the connection to the panel; reconnecting: {Error}")]
    public static partial void Reconnecting(ILogger logger, string error);

    [LoggerMessage(3110, LogLevel.Warning, "The connection to the panel closed: {Reason}")]
    public static partial void Closed(ILogger logger, string reason);

    [LoggerMessage(3111, LogLevel.Warning, "Could not report VM {Uuid} as {State} to the panel: {Error}")]
    public static partial void ReportFailed(ILogger logger, Guid uuid, VmPowerState state, string error);

    [LoggerMessage(3112, LogLevel.Debug, "Could not pass on the progress of task {TaskId}: {Error}")]
    public static partial void ProgressFailed(ILogger logger, Guid taskId, string error);
}
