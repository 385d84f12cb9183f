using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebVirt.Hypervisor.Interop;

internal static unsafe partial class Native
{
    /// <summary>
    /// statvfs(3) of the file system holding <paramref name="directory"/>, through the folder's own descriptor
    /// (O_DIRECTORY, so a file or a FIFO is refused rather than opened). Null with <paramref name="error"/> on failure.
    /// </summary>
    public static (long TotalBytes, long FreeBytes)? StatVfs(string directory, out string error)
    {
        var bytes = NullTerminated(directory);
        int fd;
        fixed (byte* p = bytes)
        {
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            error = Describe(errno);
            return null;
        }

        try
        {
            statvfs buffer;
            if (fstatvfs(fd, &buffer) != 0)
            {
                error = Describe(errno);
                return null;
            }

            error = "";
            var unit = (long)(ulong)buffer.f_frsize;

            // f_bavail, not f_bfree: what an unprivileged writer (QEMU's account) may still use.
            return ((long)(ulong)buffer.f_blocks * unit, (long)(ulong)buffer.f_bavail * unit);
        }
        finally
        {
            close(fd);
        }
    }
}
