using System.Buffers.Binary;
using System.IO.Compression;

namespace WebVirt.TestSupport;

/// <summary>
/// Just enough PNG decoding to tell whether a screendump shows something: the size, and whether the
/// inflated scanlines hold more than one distinct byte value.
/// </summary>
public sealed record PngImage(int Width, int Height, int DistinctByteValues)
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public bool IsBlank => DistinctByteValues <= 2;

    public static PngImage Decode(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file: the signature is missing.");
        }

        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var seen = new bool[256];
        var buffer = new byte[65536];
        int read;
        while ((read = inflater.Read(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                seen[buffer[i]] = true;
            }
        }

        return new PngImage(width, height, seen.Count(s => s));
    }
}
