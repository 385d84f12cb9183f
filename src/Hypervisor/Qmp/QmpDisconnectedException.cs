namespace WebVirt.Hypervisor.Qmp;

/// <summary>A command could not complete because the QMP connection ended (or had already ended).</summary>
public sealed class QmpDisconnectedException(string? command, QmpDisconnect disconnect)
    : QmpException(
        command,
        command is null ? $"QMP connection lost: {disconnect.Describe()}" : $"QMP command '{command}' failed: {disconnect.Describe()}",
        disconnect.Error)
{
    public QmpDisconnect Disconnect { get; } = disconnect;
}
