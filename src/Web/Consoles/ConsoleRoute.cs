namespace WebVirt.Web.Consoles;

/// <summary>How a console connection reaches its VM.</summary>
public enum ConsoleRoute
{
    /// <summary>Through a tunnel WebSocket the host's agent dialed back to the panel (every remote host).</summary>
    Tunnel,

    /// <summary>Straight to the VM's socket: its host's agent runs inside the panel (the single-machine setup).</summary>
    Direct,
}
