using System.Buffers.Binary;
using System.IO.Compression;

namespace WebVirt.Hypervisor.Screens;

/// <summary>
/// Whether bytes are a whole, sound PNG of the kind QEMU's screendump writes: the signature, IHDR first with sane
/// dimensions, every chunk inside the file with a matching CRC, IEND last, and the IDAT data inflating to exactly
/// the rows the header promises. Used before a screendump leaves the agent, because QEMU (a process a guest may
/// have taken over) wrote the file: whatever is forwarded must be a picture, not a copy of some other file.
/// </summary>
public static class PngCheck
{
    /// <summary>Larger than any screen a VM shows (8K is 33 megapixels), small enough that inflating is bounded.</summary>
    public const long MaxPixels = 40_000_000;

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Null when <paramref name="png"/> is a sound PNG, else why not.</summary>
    public static string? Problem(ReadOnlySpan<byte> png)
    {
        if (png.Length < Signature.Length + 25 || !png[..Signature.Length].SequenceEqual(Signature))
        {
            return "it does not start with a PNG signature and header";
        }

        long expectedRaw = 0;
        var ended = false;
        using var idat = new MemoryStream();
        for (var at = Signature.Length; at < png.Length;)
        {
            if (ended)
            {
                return "it has data after its end chunk";
            }

            if (at + 12 > png.Length)
            {
                return "a chunk is cut short";
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > png.Length - at - 12)
            {
                return "a chunk runs past the end of the file";
            }

            var typeAndData = png.Slice(at + 4, 4 + (int)length);
            if (BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + (int)length)..]) != Crc32.Of(typeAndData))
            {
                return "a chunk's checksum does not match";
            }

            var type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            var data = typeAndData[4..];
            if (at == Signature.Length)
            {
                if (type != "IHDR")
                {
                    return "its first chunk is not a header";
                }

                if (HeaderProblem(data, out expectedRaw) is { } header)
                {
                    return header;
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                ended = true;
            }

            at += 12 + (int)length;
        }

        return !ended ? "it has no end chunk" : InflatedProblem(idat, expectedRaw);
    }

    private static string? HeaderProblem(ReadOnlySpan<byte> header, out long expectedRaw)
    {
        expectedRaw = 0;
        if (header.Length != 13)
        {
            return "its header has the wrong length";
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(header);
        var height = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var (depth, colour, interlace) = (header[8], header[9], header[12]);
        int? channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => null };
        if (width == 0 || height == 0 || (long)width * height > MaxPixels)
        {
            return $"its size {width}x{height} is no screen's";
        }

        if (channels is null || depth is not (1 or 2 or 4 or 8 or 16) || header[10] != 0 || header[11] != 0 || interlace != 0)
        {
            return "its header describes no picture QEMU writes";
        }

        var rowBytes = (width * channels.Value * depth + 7) / 8;
        expectedRaw = (rowBytes + 1) * height;
        return null;
    }

    private static string? InflatedProblem(MemoryStream idat, long expectedRaw)
    {
        idat.Position = 0;
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
            int read;
            while ((read = inflate.Read(buffer)) > 0)
            {
                total += read;
                if (total > expectedRaw)
                {
                    return "its picture data is larger than its header says";
                }
            }
        }
        catch (InvalidDataException)
        {
            return "its picture data does not decompress";
        }

        return total == expectedRaw ? null : "its picture data is shorter than its header says";
    }
}
