namespace WebVirt.Shared.Tunnels;

/// <summary>
/// The panel asks an agent to dial a tunnel WebSocket back to it: the agent connects to
/// <c>{panel}/agent/tunnels/{TunnelId}</c> with its host token and then relays bytes between that socket
/// and the resource named here. The id is random, single use, and expires when the agent does not dial in time.
/// </summary>
public sealed record TunnelRequest
{
    public required Guid TunnelId { get; init; }

    public required TunnelKind Kind { get; init; }

    /// <summary>The VM whose console is relayed (<see cref="TunnelKind.Vnc"/>, <see cref="TunnelKind.Serial"/>).</summary>
    public Guid? VmId { get; init; }

    /// <summary>Where uploaded bytes go (<see cref="TunnelKind.Upload"/>).</summary>
    public UploadTarget? Upload { get; init; }
}
