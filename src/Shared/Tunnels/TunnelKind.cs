namespace WebVirt.Shared.Tunnels;

/// <summary>What flows through an agent-dialed tunnel WebSocket.</summary>
public enum TunnelKind
{
    /// <summary>The VM's VNC unix socket, byte for byte (RFB).</summary>
    Vnc,

    /// <summary>The VM's serial console (the agent fans one chardev out to every viewer).</summary>
    Serial,

    /// <summary>Bytes of an upload, written by the agent into a storage pool at <see cref="UploadTarget.Offset"/>.</summary>
    Upload,
}
