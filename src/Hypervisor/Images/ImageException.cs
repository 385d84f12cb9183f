namespace WebVirt.Hypervisor.Images;

/// <summary>
/// An image operation failed or an image was refused. The message says which operation, on which
/// file, and carries qemu-img's own diagnostics where there were any.
/// </summary>
public sealed class ImageException : Exception
{
    public ImageException(string message)
        : base(message)
    {
    }

    public ImageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal ImageException(string message, int exitCode, string standardError)
        : base(message)
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>qemu-img's exit status, when the failure came from a qemu-img run.</summary>
    public int? ExitCode { get; }

    /// <summary>qemu-img's stderr, unabridged, when the failure came from a qemu-img run.</summary>
    public string? StandardError { get; }
}
