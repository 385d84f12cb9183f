using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Storage;

/// <summary>Size and free space of the file system a folder lies on, as statvfs(3) reports them.</summary>
/// <param name="TotalBytes">The file system's size.</param>
/// <param name="FreeBytes">What an unprivileged process may still write (the blocks reserved for root are left out).</param>
public sealed record FileSystemSpace(long TotalBytes, long FreeBytes)
{
    /// <exception cref="IOException">The folder does not exist, is not a folder, or cannot be read.</exception>
    public static FileSystemSpace Of(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Native.StatVfs(directory, out var error) is { } space
            ? new FileSystemSpace(space.TotalBytes, space.FreeBytes)
            : throw new IOException($"Cannot measure the file system of '{directory}': {error}");
    }
}
