namespace WebVirt.Hypervisor.Qmp;

public enum QmpDisconnectReason
{
    /// <summary>QEMU closed the socket (after <c>quit</c>, when it exited, or on a socket error).</summary>
    ClosedByPeer,

    /// <summary>The client was disposed.</summary>
    Disposed,

    /// <summary>QEMU sent something that is not QMP; the client closed the connection.</summary>
    ProtocolError,
}
