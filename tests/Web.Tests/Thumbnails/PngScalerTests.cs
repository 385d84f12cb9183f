using System.Buffers.Binary;
using System.IO.Compression;
using WebVirt.Web.Thumbnails;

namespace WebVirt.Web.Tests.Thumbnails;

/// <summary>
/// The screendump scaler on PNGs written here with every row filter (as libpng's adaptive filtering does):
/// a red|blue picture comes back narrower with red and blue halves; what it cannot read gives no thumbnail.
/// </summary>
public sealed class PngScalerTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void WideRgbPicture_IsScaledDown_KeepingItsColours(int channels)
    {
        var png = Picture(720, 400, channels);

        var scaled = PngScaler.ScaleDown(png) ?? throw new InvalidOperationException("a sound picture gave no thumbnail");

        var (width, height, rgb) = DecodeUnfiltered(scaled);
        Assert.Equal((PngScaler.MaxWidth, 133), (width, height));
        Assert.Equal([200, 10, 10], rgb.AsSpan(((50 * width) + 10) * 3, 3).ToArray());
        Assert.Equal([10, 10, 200], rgb.AsSpan(((50 * width) + 230) * 3, 3).ToArray());
        Assert.True(scaled.Length < png.Length);
    }

    [Fact]
    public void SmallPicture_IsLeftAlone()
    {
        var png = Picture(200, 100, 3);

        Assert.Same(png, PngScaler.ScaleDown(png));
    }

    [Fact]
    public void NotAPng_OrDamaged_GivesNoThumbnail()
    {
        var text = "root:$y$j9T$hash:19000:0:99999:7:::\n"u8.ToArray();
        var damaged = Picture(720, 400, 3)[..200];

        Assert.Null(PngScaler.ScaleDown(text));
        Assert.Null(PngScaler.ScaleDown(damaged));
    }

    /// <summary>Left half red, right half blue, each row with the next of the five filters.</summary>
    internal static byte[] Picture(int width, int height, int channels)
    {
        var stride = width * channels;
        var rows = new byte[height][];
        for (var y = 0; y < height; y++)
        {
            rows[y] = new byte[stride];
            for (var x = 0; x < width; x++)
            {
                byte[] pixel = x < width / 2 ? [200, 10, 10, 255] : [10, 10, 200, 255];
                pixel.AsSpan(0, channels).CopyTo(rows[y].AsSpan(x * channels));
            }
        }

        using var compressed = new MemoryStream();
        using (var deflate = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                var filter = (byte)(y % 5);
                deflate.WriteByte(filter);
                var previous = y > 0 ? rows[y - 1] : new byte[stride];
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= channels ? rows[y][i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                    var predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                    deflate.WriteByte((byte)(rows[y][i] - predictor));
                }
            }
        }

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;
        header[9] = (byte)(channels == 3 ? 2 : 6);
        return [.. Signature, .. Chunk("IHDR", header), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
    }

    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        // The scaler does not check CRCs; a zero CRC keeps this writer independent of the one under test.
        return chunk;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Reads the scaler's output: RGB, every row with filter 0 (what it writes), CRCs checked.</summary>
    private static (int Width, int Height, byte[] Rgb) DecodeUnfiltered(byte[] png)
    {
        Assert.Equal(Signature, png[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            Assert.Equal(Crc(png.AsSpan(at + 4, 4 + length)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            if (type == "IHDR")
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8));
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 12));
                Assert.Equal((8, 2), (png[at + 16], png[at + 17]));
            }
            else if (type == "IDAT")
            {
                idat.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        var raw = new byte[(width * 3 + 1) * height];
        using (var inflate = new ZLibStream(idat, CompressionMode.Decompress))
        {
            inflate.ReadExactly(raw);
        }

        var rgb = new byte[width * 3 * height];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (width * 3 + 1)]);
            raw.AsSpan((y * (width * 3 + 1)) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return (width, height, rgb);
    }

    /// <summary>A bit-by-bit CRC-32, independent of the scaler's table-driven one.</summary>
    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
