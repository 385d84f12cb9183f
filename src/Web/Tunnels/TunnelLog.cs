namespace WebVirt.Web.Tunnels;

internal static partial class TunnelLog
{
    [LoggerMessage(2401, LogLevel.Warning, "Refused the tunnel {TunnelId} dialed by host {HostId}: {Reason}")]
    public static partial void Refused(ILogger logger, Guid tunnelId, Guid hostId, string reason);
}
