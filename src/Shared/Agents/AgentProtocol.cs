namespace WebVirt.Shared.Agents;

/// <summary>The panel–agent protocol: bump <see cref="Version"/> on any incompatible change to the hub contracts.</summary>
public static class AgentProtocol
{
    public const int Version = 1;

    /// <summary>The SignalR hub agents dial out to.</summary>
    public const string HubPath = "/hubs/agent";

    /// <summary>Where an agent dials a tunnel WebSocket: <c>{TunnelPath}/{tunnelId}</c>, with its host token.</summary>
    public const string TunnelPath = "/agent/tunnels";
}
