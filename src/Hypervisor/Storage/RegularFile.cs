using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Storage;

/// <summary>What a path itself is, without following a symbolic link at its end.</summary>
public static class RegularFile
{
    /// <summary>True only for a regular file; false for a symbolic link (even to a regular file), a folder, a FIFO, a socket, a device or nothing.</summary>
    public static bool IsRegularNoFollow(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Native.IsRegularFileNoFollow(path);
    }
}
