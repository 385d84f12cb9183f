using System.Buffers.Binary;
using System.IO.Compression;

namespace WebVirt.Web.Thumbnails;

/// <summary>
/// Scales a screendump down to thumbnail size without a native image library: QEMU writes 8-bit RGB, non-interlaced
/// PNGs (RGBA is read too), which this decodes (zlib + the five PNG row filters), box-averages down to at most
/// <see cref="MaxWidth"/> pixels wide, and writes back as RGB with no row filter. Anything it cannot decode
/// (another format, damaged, not a PNG at all) gives no thumbnail: the bytes came from a QEMU process, and only a
/// picture this code has read through may reach a browser as one.
/// </summary>
internal static class PngScaler
{
    public const int MaxWidth = 240;

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The thumbnail, <paramref name="png"/> itself when it is small enough already, or null when it does not decode.</summary>
    public static byte[]? ScaleDown(byte[] png)
    {
        try
        {
            if (!TryDecode(png, out var width, out var height, out var rgb))
            {
                return null;
            }

            return width > MaxWidth
                ? Encode(Shrink(rgb, width, height, out var newWidth, out var newHeight), newWidth, newHeight)
                : png;
        }
        catch (Exception ex) when (ex is InvalidDataException or IndexOutOfRangeException or ArgumentException or OverflowException or EndOfStreamException)
        {
            return null;
        }
    }

    private static bool TryDecode(byte[] png, out int width, out int height, out byte[] rgb)
    {
        width = height = 0;
        rgb = [];
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            return false;
        }

        var channels = 0;
        using var idat = new MemoryStream();
        for (var at = Signature.Length; at + 12 <= png.Length;)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at)));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data));
                height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                channels = (data[8], data[9], data[12]) switch { (8, 2, 0) => 3, (8, 6, 0) => 4, _ => 0 };
                if (channels == 0 || width <= 0 || height <= 0 || (long)width * height > 16_000_000)
                {
                    return false;
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }

            at += 12 + length;
        }

        if (channels == 0)
        {
            return false;
        }

        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var inflate = new ZLibStream(idat, CompressionMode.Decompress))
        {
            inflate.ReadExactly(raw);
        }

        rgb = new byte[width * 3 * height];
        var previous = new byte[stride];
        var current = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (stride + 1));
            Unfilter(row[0], row.Slice(1, stride), previous, current, channels);
            for (var x = 0; x < width; x++)
            {
                current.AsSpan(x * channels, 3).CopyTo(rgb.AsSpan(((y * width) + x) * 3));
            }

            (previous, current) = (current, previous);
        }

        return true;
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> row, byte[] previous, byte[] current, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? current[i - bpp] : 0;
            int up = previous[i];
            int upLeft = i >= bpp ? previous[i - bpp] : 0;
            current[i] = (byte)(row[i] + filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"PNG row filter {filter}."),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Averages each block of source pixels into one (a box filter: text stays readable as grey texture).</summary>
    private static byte[] Shrink(byte[] rgb, int width, int height, out int newWidth, out int newHeight)
    {
        newWidth = MaxWidth;
        newHeight = Math.Max(1, (int)Math.Round((double)height * MaxWidth / width));
        var result = new byte[newWidth * newHeight * 3];
        for (var ty = 0; ty < newHeight; ty++)
        {
            var y0 = ty * height / newHeight;
            var y1 = Math.Max(y0 + 1, (ty + 1) * height / newHeight);
            for (var tx = 0; tx < newWidth; tx++)
            {
                var x0 = tx * width / newWidth;
                var x1 = Math.Max(x0 + 1, (tx + 1) * width / newWidth);
                int r = 0, g = 0, b = 0, n = 0;
                for (var y = y0; y < y1; y++)
                {
                    for (var x = x0; x < x1; x++)
                    {
                        var at = ((y * width) + x) * 3;
                        r += rgb[at];
                        g += rgb[at + 1];
                        b += rgb[at + 2];
                        n++;
                    }
                }

                var to = ((ty * newWidth) + tx) * 3;
                result[to] = (byte)(r / n);
                result[to + 1] = (byte)(g / n);
                result[to + 2] = (byte)(b / n);
            }
        }

        return result;
    }

    private static byte[] Encode(byte[] rgb, int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                deflate.WriteByte(0);
                deflate.Write(rgb, y * width * 3, width * 3);
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;
        header[9] = 2;
        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        png.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Of(typeBytes, data));
        png.Write(word);
    }
}
