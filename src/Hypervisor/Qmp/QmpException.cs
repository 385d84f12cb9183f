namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// A QMP failure: an <c>error</c> reply (with <see cref="ErrorClass"/> and <see cref="Description"/>
/// as QEMU sent them), a failed connection or negotiation, or a lost connection
/// (<see cref="QmpDisconnectedException"/>).
/// </summary>
public class QmpException : Exception
{
    public QmpException(string message)
        : base(message)
    {
    }

    public QmpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public QmpException(string command, string errorClass, string description)
        : base($"QMP command '{command}' failed ({errorClass}): {description}")
    {
        Command = command;
        ErrorClass = errorClass;
        Description = description;
    }

    protected QmpException(string? command, string message, Exception? innerException)
        : base(message, innerException)
    {
        Command = command;
    }

    /// <summary>The command that failed, when the failure belongs to one.</summary>
    public string? Command { get; }

    /// <summary>QEMU's error class, e.g. <c>GenericError</c>, <c>CommandNotFound</c>, <c>DeviceNotFound</c>.</summary>
    public string? ErrorClass { get; }

    /// <summary>QEMU's human-readable error text.</summary>
    public string? Description { get; }
}
