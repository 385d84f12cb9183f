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

    /// <summary>
    /// rename(2) without .NET's copy fallback: false with <paramref name="crossDevice"/> when the two paths lie on
    /// different file systems, false with <paramref name="error"/> on any other failure.
    /// </summary>
    public static bool Rename(string from, string to, out bool crossDevice, out string error)
    {
        var source = NullTerminated(from);
        var target = NullTerminated(to);
        fixed (byte* s = source)
        fixed (byte* t = target)
        {
            if (RenameFile(s, t) == 0)
            {
                crossDevice = false;
                error = "";
                return true;
            }
        }

        var number = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        crossDevice = number == CrossDeviceLink;
        error = Describe(number);
        return false;
    }

    /// <summary>EXDEV: Tmds.LibC has neither it nor rename(2).</summary>
    private const int CrossDeviceLink = 18;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static partial int RenameFile(byte* from, byte* to);
}
