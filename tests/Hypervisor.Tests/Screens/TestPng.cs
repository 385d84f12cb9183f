using System.Buffers.Binary;
using System.IO.Compression;
using WebVirt.Hypervisor.Screens;

namespace WebVirt.Hypervisor.Tests.Screens;

/// <summary>Writes PNGs as QEMU's screendump does (8-bit RGB, no interlace), chunk by chunk so tests can damage one.</summary>
internal static class TestPng
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Rgb(int width, int height, int? rowsWritten = null)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;
        header[9] = 2;
        return [.. Signature, .. Chunk("IHDR", header), .. Chunk("IDAT", Pixels(width, rowsWritten ?? height)), .. Chunk("IEND", [])];
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Of(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static byte[] Pixels(int width, int rows)
    {
        var raw = new byte[(width * 3 + 1) * rows];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = i % (width * 3 + 1) == 0 ? (byte)0 : (byte)(i * 7);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return compressed.ToArray();
    }
}
