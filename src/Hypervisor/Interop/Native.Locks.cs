using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebVirt.Hypervisor.Interop;

internal static unsafe partial class Native
{
    /// <summary>
    /// Opens (creating, 0600) <paramref name="path"/> and takes an exclusive open-file-description lock on the whole
    /// file (fcntl F_OFD_SETLK), without waiting. The lock lasts until the returned descriptor is closed or the
    /// process dies. OFD locks do not interact with flock(2), which .NET takes for its own FileShare checks, so
    /// anyone may still read the file. -1 with <paramref name="error"/> when it cannot be opened; -2 when another
    /// open file holds the lock.
    /// </summary>
    public static int TryLockFile(string path, out string error)
    {
        var name = NullTerminated(path);
        int fd;
        fixed (byte* p = name)
        {
            fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0x180);
        }

        if (fd < 0)
        {
            error = Describe(errno);
            return -1;
        }

        var whole = new flock { l_type = (short)F_WRLCK, l_whence = (short)SEEK_SET, l_start = 0, l_len = 0, l_pid = 0 };
        if (fcntl(fd, F_OFD_SETLK, &whole) == 0)
        {
            error = "";
            return fd;
        }

        var number = errno;
        close(fd);
        error = Describe(number);
        return number == EAGAIN || number == EACCES ? -2 : -1;
    }
}
