using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Storage;

/// <summary>Moves a file only when that is a rename on one file system, so a caller can copy with progress otherwise.</summary>
public static class FileRename
{
    /// <summary>
    /// Renames <paramref name="from"/> to <paramref name="to"/>, which must not exist (rename(2) would replace it).
    /// False when they lie on different file systems; nothing moved then.
    /// </summary>
    /// <exception cref="IOException">The target exists, or the rename failed for another reason.</exception>
    public static bool TryWithinFileSystem(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        if (File.Exists(to) || Directory.Exists(to) || new FileInfo(to).LinkTarget is not null)
        {
            throw new IOException($"Cannot move '{from}' to '{to}': the target exists.");
        }

        if (Native.Rename(from, to, out var crossDevice, out var error))
        {
            return true;
        }

        return crossDevice ? false : throw new IOException($"Cannot move '{from}' to '{to}': {error}");
    }
}
