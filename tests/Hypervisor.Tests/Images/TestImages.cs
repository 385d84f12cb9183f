using System.Buffers.Binary;
using System.Text;

namespace WebVirt.Hypervisor.Tests.Images;

internal static class TestImages
{
    /// <summary>A raw image: <paramref name="patternBytes"/> of repeating text, then zeros up to the size.</summary>
    public static void WritePatternedRaw(string path, long sizeBytes, int patternBytes)
    {
        var line = Encoding.ASCII.GetBytes("WebVirt test pattern 0123456789 abcdefghijklmnopqrstuvwxyz\n");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        for (var written = 0; written < patternBytes; written += line.Length)
        {
            stream.Write(line, 0, Math.Min(line.Length, patternBytes - written));
        }

        stream.SetLength(sizeBytes);
    }

    /// <summary>Incompressible data, so converting it with compression takes a while.</summary>
    public static void WriteRandomRaw(string path, int sizeBytes)
    {
        var data = new byte[sizeBytes];
        new Random(42).NextBytes(data);
        File.WriteAllBytes(path, data);
    }

    /// <summary>
    /// Overwrites the refcount of cluster 0 (the header) in a qcow2 with 16-bit refcounts. qemu-img check
    /// then finds exactly one problem: a corruption for 0 (in use but unreferenced), a leak for 2.
    /// </summary>
    public static void SetHeaderClusterRefcount(string path, ushort refcount)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var refcountTableOffset = ReadUInt64(stream, 48);
        var firstRefcountBlock = ReadUInt64(stream, (long)refcountTableOffset);
        Span<byte> value = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, refcount);
        stream.Position = (long)firstRefcountBlock;
        stream.Write(value);
    }

    private static ulong ReadUInt64(FileStream stream, long offset)
    {
        Span<byte> buffer = stackalloc byte[8];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        return BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }
}
