using System.Buffers.Binary;
using WebVirt.Hypervisor.CommandLine;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// How qemu opens a LUKS-encrypted qcow2 with its backing chain. qemu takes an image's key from that image's own
/// options only, so a linked clone of an encrypted template must name the secret again for every encrypted backing
/// image, spelled out with its path, or qemu stops at "Parameter 'encrypt.key-secret' is required". WebVirt gives a
/// clone the key of its template, so one secret opens the whole chain.
/// </summary>
internal static class EncryptedImageOptions
{
    private const int MaxChainDepth = 16;
    private const uint LuksCryptMethod = 2;

    /// <summary>The <c>--image-opts</c> of the encrypted qcow2 at <paramref name="path"/>, unlocked by the secret object <paramref name="secretId"/>.</summary>
    public static QemuOptionString ForFile(string path, string secretId) =>
        AddBackingChain(
            new QemuOptionString().Add("driver", "qcow2").Add("file.driver", "file").Add("file.filename", path)
                .Add("encrypt.format", "luks").Add("encrypt.key-secret", secretId),
            path,
            secretId);

    /// <summary>
    /// Adds <c>backing.…</c> options for each encrypted qcow2 below <paramref name="path"/> (read from the images' headers),
    /// down to the first backing image that is not encrypted, which qemu then opens by itself.
    /// </summary>
    public static QemuOptionString AddBackingChain(QemuOptionString options, string path, string secretId)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = "backing.";
        foreach (var backing in BackingFileReader.Chain(path, MaxChainDepth))
        {
            if (!IsLuksQcow2(backing))
            {
                break;
            }

            // -blockdev checks options against the schema: the encryption format is required wherever a key is given.
            options.Add(prefix + "driver", "qcow2").Add(prefix + "file.driver", "file").Add(prefix + "file.filename", backing)
                .Add(prefix + "encrypt.format", "luks").Add(prefix + "encrypt.key-secret", secretId);
            prefix = "backing." + prefix;
        }

        return options;
    }

    /// <summary>Whether the image is a qcow2 whose header names LUKS encryption (crypt_method 2 at offset 32).</summary>
    public static bool IsLuksQcow2(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            // Room for a version 3 header, which TryRead needs whole.
            Span<byte> start = stackalloc byte[104];
            var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return Qcow2Header.TryRead(start[..read], out var header) && header.Version >= 2
                && BinaryPrimitives.ReadUInt32BigEndian(start[32..]) == LuksCryptMethod;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
