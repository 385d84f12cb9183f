using System.Text;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// Reads the backing file name straight from a qcow2 header, without starting qemu-img: cheap enough to ask
/// of every disk on the host (is any image a linked clone of this template?).
/// </summary>
public static class BackingFileReader
{
    private const int MaxBackingNameBytes = 1023;

    /// <summary>
    /// The files below a qcow2 image, nearest first, at most <paramref name="maxDepth"/> of them; a relative name
    /// resolves against the folder of the image that names it, as QEMU resolves it.
    /// </summary>
    public static IEnumerable<string> Chain(string image, int maxDepth)
    {
        var current = Path.GetFullPath(image);
        for (var depth = 0; depth < maxDepth && Read(current) is { } name; depth++)
        {
            current = Path.GetFullPath(name, Path.GetDirectoryName(current)!);
            yield return current;
        }
    }

    /// <summary>The backing file an image names, or null (not qcow2, no backing file, unreadable).</summary>
    public static string? Read(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            Span<byte> start = stackalloc byte[104];
            var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            if (!Qcow2Header.TryRead(start[..read], out var header) || header.Version < 2 || header.BackingFileOffset == 0
                || header.BackingFileSize is 0 or > MaxBackingNameBytes || header.BackingFileOffset + header.BackingFileSize > (ulong)file.Length)
            {
                return null;
            }

            var name = new byte[header.BackingFileSize];
            file.Position = (long)header.BackingFileOffset;
            file.ReadExactly(name);
            return Encoding.UTF8.GetString(name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
