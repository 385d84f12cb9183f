using WebVirt.Shared.Tunnels;

namespace WebVirt.Web.Consoles;

internal static partial class ConsoleLog
{
    [LoggerMessage(2501, LogLevel.Warning, "Refused a {Kind} console of VM {VmId} to {User}: {Reason}")]
    public static partial void Refused(ILogger logger, TunnelKind kind, Guid vmId, string user, string reason);

    [LoggerMessage(2502, LogLevel.Information, "{User} opened the {Kind} console of VM {VmId} ({Route})")]
    public static partial void Opened(ILogger logger, string user, TunnelKind kind, Guid vmId, ConsoleRoute route);

    [LoggerMessage(2503, LogLevel.Information, "{User}'s {Kind} console of VM {VmId} closed: {Result}")]
    public static partial void Closed(ILogger logger, string user, TunnelKind kind, Guid vmId, string result);

    [LoggerMessage(2504, LogLevel.Warning, "Refused share link {LinkId} of VM {VmId}: {Reason}")]
    public static partial void ShareRefused(ILogger logger, Guid? linkId, Guid? vmId, string reason);

    [LoggerMessage(2505, LogLevel.Information, "Dropped {Bytes} bytes of input on view-only share link {LinkId}")]
    public static partial void InputDropped(ILogger logger, long bytes, Guid linkId);

    [LoggerMessage(2506, LogLevel.Warning, "Ending {User}'s {Kind} console of VM {VmId}: {Reason}")]
    public static partial void AccessEnded(ILogger logger, string user, TunnelKind kind, Guid vmId, string reason);

    [LoggerMessage(2507, LogLevel.Warning, "Could not re-check the open consoles: {Reason}")]
    public static partial void CheckFailed(ILogger logger, string reason);
}
