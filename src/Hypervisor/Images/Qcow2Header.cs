using System.Buffers.Binary;

namespace WebVirt.Hypervisor.Images;

/// <summary>The fixed part of a qcow/qcow2 header (big-endian), as laid out in QEMU's docs/interop/qcow2.txt.</summary>
internal readonly record struct Qcow2Header(
    uint Version,
    ulong BackingFileOffset,
    uint BackingFileSize,
    int ClusterBits,
    ulong Size,
    ulong IncompatibleFeatures,
    uint HeaderLength)
{
    public const int Version2Length = 72;
    public const ulong ExternalDataFileFeature = 1UL << 2;

    private const uint Magic = 0x514649fb; // "QFI\xfb", shared by qcow (version 1) and qcow2 (versions 2, 3)

    public static bool HasMagic(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(start) == Magic;

    /// <summary>Reads the header; false when the bytes are not (a large enough piece of) a qcow header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> start, out Qcow2Header header)
    {
        header = default;
        if (!HasMagic(start) || start.Length < 32)
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(start[4..]);
        var size = BinaryPrimitives.ReadUInt64BigEndian(start[24..]);
        if (version < 2)
        {
            header = new Qcow2Header(version, 0, 0, 0, size, 0, 0);
            return true;
        }

        if (start.Length < Version2Length)
        {
            return false;
        }

        ulong incompatible = 0;
        uint headerLength = Version2Length;
        if (version >= 3)
        {
            if (start.Length < 104)
            {
                return false;
            }

            incompatible = BinaryPrimitives.ReadUInt64BigEndian(start[72..]);
            headerLength = BinaryPrimitives.ReadUInt32BigEndian(start[100..]);
        }

        header = new Qcow2Header(
            version,
            BinaryPrimitives.ReadUInt64BigEndian(start[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(start[16..]),
            (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(start[20..]), 64),
            size,
            incompatible,
            headerLength);
        return true;
    }
}
