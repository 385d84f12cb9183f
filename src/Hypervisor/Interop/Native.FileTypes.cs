using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebVirt.Hypervisor.Interop;

internal static unsafe partial class Native
{
    /// <summary>
    /// Whether <paramref name="path"/> itself is a regular file, by lstat(2): a symbolic link (to anything), a folder,
    /// a FIFO, a socket or a device is not. False too when it does not exist.
    /// </summary>
    public static bool IsRegularFileNoFollow(string path)
    {
        var bytes = NullTerminated(path);
        stat buffer;
        fixed (byte* p = bytes)
        {
            if (lstat(p, &buffer) != 0)
            {
                return false;
            }
        }

        return S_ISREG(buffer.st_mode);
    }

    /// <summary>The owner and group of <paramref name="path"/> itself (lstat(2)), or null when it cannot be read.</summary>
    public static (int Uid, int Gid)? OwnerOf(string path)
    {
        var bytes = NullTerminated(path);
        stat buffer;
        fixed (byte* p = bytes)
        {
            if (lstat(p, &buffer) != 0)
            {
                return null;
            }
        }

        return ((int)(uint)buffer.st_uid, (int)(uint)buffer.st_gid);
    }
}
