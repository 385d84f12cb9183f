using Microsoft.Extensions.Logging;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

internal static partial class TunnelLog
{
    [LoggerMessage(3301, LogLevel.Warning, "Could not dial the {Kind} tunnel {TunnelId} back to the panel: {Error}")]
    public static partial void DialFailed(ILogger logger, TunnelKind kind, Guid tunnelId, string error);

    [LoggerMessage(3302, LogLevel.Error, "The {Kind} tunnel {TunnelId} failed")]
    public static partial void EndpointFailed(ILogger logger, TunnelKind kind, Guid tunnelId, Exception exception);

    [LoggerMessage(3303, LogLevel.Information, "The {Kind} tunnel {TunnelId} for VM {VmId} closed ({Result})")]
    public static partial void Closed(ILogger logger, TunnelKind kind, Guid tunnelId, Guid? vmId, string result);

    [LoggerMessage(3304, LogLevel.Warning, "Serial console of VM {VmId}: a viewer fell {Bytes} bytes behind and was disconnected")]
    public static partial void SlowSerialViewer(ILogger logger, Guid vmId, long bytes);
}
