using System.Buffers.Binary;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// Reads an untrusted image's first bytes before qemu-img may open it. Even qemu-img info, which never
/// opens a backing file, opens some files an image names: a VMDK descriptor's extents (any path on the
/// host) and, depending on the version, a qcow2 external data file. Those images are refused here,
/// so no qemu process ever touches what they point at.
/// </summary>
internal static class UntrustedImageScreen
{
    // QEMU probes the format from the first 2 KiB (BLOCK_PROBE_BUF_SIZE); a qcow2 header extension
    // lies within the first cluster, at most 2 MiB.
    private const int ProbeLength = 2048;
    private const int MaxClusterBits = 21;
    private const uint EndOfExtensions = 0;
    private const uint ExternalDataFileExtension = 0x44415441; // "DATA"

    public static void Check(string path)
    {
        var file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            throw Refused(path, "it is a symbolic link");
        }

        if (!file.Exists)
        {
            throw Refused(path, "no such file");
        }

        // FIFOs and devices report a size of 0 too; opening a FIFO would block with no writer.
        if (file.Length == 0)
        {
            throw Refused(path, "it is empty or not a regular file");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var start = new byte[(int)Math.Min(stream.Length, ProbeLength)];
        stream.ReadExactly(start);

        if (IsVmdk(start))
        {
            throw Refused(path, "it is a VMDK image, which can name other host files as its extents; only raw (including ISO) and qcow2 are accepted");
        }

        if (Qcow2Header.HasMagic(start))
        {
            CheckQcow(path, stream, start);
        }
    }

    private static void CheckQcow(string path, FileStream stream, byte[] start)
    {
        if (!Qcow2Header.TryRead(start, out var header))
        {
            throw Refused(path, "its qcow2 header is truncated");
        }

        if (header.Version is not (2 or 3))
        {
            throw Refused(path, $"it is a qcow version {header.Version} image; only raw (including ISO) and qcow2 are accepted");
        }

        if (header.BackingFileOffset != 0 || header.BackingFileSize != 0)
        {
            throw Refused(path, "it names a backing file");
        }

        if ((header.IncompatibleFeatures & Qcow2Header.ExternalDataFileFeature) != 0)
        {
            throw Refused(path, "it keeps its data in an external data file");
        }

        if (header.ClusterBits is < 9 or > MaxClusterBits)
        {
            throw Refused(path, $"its cluster size (2^{header.ClusterBits}) is invalid");
        }

        var cluster = new byte[(int)Math.Min(stream.Length, 1L << header.ClusterBits)];
        stream.Position = 0;
        stream.ReadExactly(cluster);
        if (HasExternalDataFileExtension(cluster, header.HeaderLength))
        {
            throw Refused(path, "it names an external data file");
        }
    }

    private static bool HasExternalDataFileExtension(ReadOnlySpan<byte> cluster, uint headerLength)
    {
        var offset = (long)headerLength;
        while (offset + 8 <= cluster.Length)
        {
            var type = BinaryPrimitives.ReadUInt32BigEndian(cluster[(int)offset..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(cluster[((int)offset + 4)..]);
            if (type == EndOfExtensions)
            {
                return false;
            }

            if (type == ExternalDataFileExtension)
            {
                return true;
            }

            offset += 8 + ((length + 7L) & ~7L);
        }

        return false;
    }

    /// <summary>Mirrors QEMU's vmdk_probe, more broadly: any "version=" after comments and blank lines counts.</summary>
    private static bool IsVmdk(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith("KDMV"u8) || start.StartsWith("COWD"u8))
        {
            return true;
        }

        var p = 0;
        while (p < start.Length)
        {
            if (start[p] == (byte)'#')
            {
                var newline = start[p..].IndexOf((byte)'\n');
                p = newline < 0 ? start.Length : p + newline + 1;
            }
            else if (start[p] == (byte)' ')
            {
                while (p < start.Length && start[p] == (byte)' ')
                {
                    p++;
                }

                if (p < start.Length && start[p] == (byte)'\r')
                {
                    p++;
                }

                if (p >= start.Length || start[p] != (byte)'\n')
                {
                    return false;
                }

                p++;
            }
            else
            {
                return start[p..].StartsWith("version="u8);
            }
        }

        return false;
    }

    private static ImageException Refused(string path, string reason) =>
        new($"Image {path} refused: {reason}.");
}
