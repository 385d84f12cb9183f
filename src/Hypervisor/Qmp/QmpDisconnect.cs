namespace WebVirt.Hypervisor.Qmp;

/// <summary>Why a QMP connection ended; <see cref="Error"/> holds the socket or protocol error, if any.</summary>
public sealed record QmpDisconnect(QmpDisconnectReason Reason, Exception? Error = null)
{
    public string Describe() => Reason switch
    {
        QmpDisconnectReason.ClosedByPeer => "the QMP connection was closed by QEMU",
        QmpDisconnectReason.Disposed => "the QMP client was disposed",
        _ => "the QMP connection was closed after a protocol error",
    } + (Error is null ? "" : $" ({Error.Message})");
}
