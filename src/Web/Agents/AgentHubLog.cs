namespace WebVirt.Web.Agents;

internal static partial class AgentHubLog
{
    [LoggerMessage(2001, LogLevel.Information, "Host {HostId} ({Hostname}) registered with {VmCount} VMs")]
    public static partial void Registered(ILogger logger, Guid hostId, string hostname, int vmCount);

    [LoggerMessage(2002, LogLevel.Warning, "Host {HostId} refused: agent protocol {AgentVersion}, panel protocol {PanelVersion}")]
    public static partial void ProtocolMismatch(ILogger logger, Guid hostId, int agentVersion, int panelVersion);

    [LoggerMessage(2003, LogLevel.Information, "Host {HostId} disconnected")]
    public static partial void Disconnected(ILogger logger, Guid hostId);

    [LoggerMessage(2004, LogLevel.Warning, "Host {HostId} reports VM {VmId} ({Name}) that the panel does not know")]
    public static partial void UnknownVm(ILogger logger, Guid hostId, Guid vmId, string name);

    [LoggerMessage(2005, LogLevel.Warning, "VM {VmId}: {Mismatch}")]
    public static partial void StateMismatch(ILogger logger, Guid vmId, string mismatch);

    [LoggerMessage(2006, LogLevel.Warning, "Deleting VM {VmId} on host {HostId} after reconnect failed: {Error}")]
    public static partial void PendingDeletionFailed(ILogger logger, Guid vmId, Guid hostId, string error);
}
