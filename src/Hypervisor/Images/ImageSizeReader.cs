using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// Reads a trusted image's virtual size without starting qemu-img, so a shrink can be refused before
/// any process runs: a raw image is as large as its file, a qcow2 records its size in the header.
/// </summary>
internal static class ImageSizeReader
{
    public static long ReadVirtualSize(string path, DiskFormat format)
    {
        try
        {
            if (format == DiskFormat.Raw)
            {
                var file = new FileInfo(path);
                return file.Exists ? file.Length : throw new FileNotFoundException("No such file.", path);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var start = new byte[(int)Math.Min(stream.Length, 104)];
            stream.ReadExactly(start);
            return Qcow2Header.TryRead(start, out var header) && header.Version >= 2 && header.Size <= long.MaxValue
                ? (long)header.Size
                : throw new ImageException($"Cannot read the size of {path}: it is not a qcow2 image.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageException($"Cannot read the size of {path}: {ex.Message}", ex);
        }
    }
}
