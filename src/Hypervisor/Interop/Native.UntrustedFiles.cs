using static Tmds.Linux.LibC;

namespace WebVirt.Hypervisor.Interop;

internal static unsafe partial class Native
{
    /// <summary>ELOOP: what open(2) with O_NOFOLLOW answers for a symbolic link.</summary>
    private const int SymbolicLinkLoop = 40;

    /// <summary>
    /// Reads a file that a less trusted process (QEMU, as its own user) could have written or replaced, without
    /// trusting what the name points to: a symbolic link is not followed (O_NOFOLLOW), a FIFO or device does not
    /// block or stream for ever (O_NONBLOCK, then fstat must show a regular file), and nothing over
    /// <paramref name="maxBytes"/> is read. Null with <paramref name="error"/> when the file is refused.
    /// </summary>
    public static byte[]? ReadUntrustedRegularFile(string path, int maxBytes, out string error)
    {
        var name = NullTerminated(path);
        int fd;
        fixed (byte* p = name)
        {
            fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            var number = errno;
            error = number == SymbolicLinkLoop ? "it is a symbolic link" : Describe(number);
            return null;
        }

        try
        {
            Tmds.Linux.stat status;
            if (fstat(fd, &status) != 0)
            {
                error = Describe(errno);
                return null;
            }

            if (!S_ISREG(status.st_mode))
            {
                error = "it is not a regular file";
                return null;
            }

            var size = (long)status.st_size;
            if (size > maxBytes)
            {
                error = $"it holds {size} bytes, more than the {maxBytes} allowed";
                return null;
            }

            var bytes = new byte[size];
            var done = 0;
            fixed (byte* buffer = bytes)
            {
                while (done < bytes.Length)
                {
                    var count = (long)read(fd, buffer + done, (Tmds.Linux.size_t)(bytes.Length - done));
                    if (count < 0)
                    {
                        error = Describe(errno);
                        return null;
                    }

                    if (count == 0)
                    {
                        break;
                    }

                    done += (int)count;
                }
            }

            error = "";
            return done == bytes.Length ? bytes : bytes[..done];
        }
        finally
        {
            close(fd);
        }
    }
}
