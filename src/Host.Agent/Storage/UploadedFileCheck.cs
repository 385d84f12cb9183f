using WebVirt.Hypervisor.Images;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Storage;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// What a finished upload or download must be before it enters a pool. The name's extension only says what
/// the file claims to be; the bytes decide: an ISO carries the ISO 9660 signature "CD001" in its first volume
/// descriptor (byte 32769) and probes as raw, a disk image probes as the format its extension names. Every file
/// first passes qemu-img's untrusted inspection, so a backing file or external data file is never opened.
/// </summary>
internal static class UploadedFileCheck
{
    private const long Iso9660SignatureOffset = 16 * 2048 + 1;

    /// <returns>The format qemu-img probed, or the reason the file is refused.</returns>
    public static async Task<(string? Format, string? Refusal)> CheckAsync(QemuImg qemuImg, string path, string fileName, CancellationToken cancellationToken)
    {
        ImageInfo info;
        try
        {
            info = await qemuImg.InspectUntrustedAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageException ex)
        {
            // The message names the partial file's path; the user knows the file by its name.
            return (null, $"'{fileName}' was refused: {Reason(ex.Message)}");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        switch (PoolFileNames.KindOf(fileName))
        {
            case PoolFileKind.Iso when info.Format != "raw":
                return (null, $"'{fileName}' was refused: it is a {info.Format} image, not an ISO.");
            case PoolFileKind.Iso when !HasIso9660Signature(path):
                return (null, $"'{fileName}' was refused: it is not an ISO 9660 image (no CD001 signature at byte {Iso9660SignatureOffset}).");
            case PoolFileKind.DiskImage when extension == ".qcow2" && info.Format != "qcow2":
                return (null, $"'{fileName}' was refused: it is a {info.Format} image, not qcow2.");
            case PoolFileKind.DiskImage when extension != ".qcow2" && info.Format != "raw":
                return (null, $"'{fileName}' was refused: it is a {info.Format} image, not raw.");
            case PoolFileKind.Other:
                return (null, $"'{fileName}' was refused: only ISO and disk images are stored in pools.");
            default:
                return (info.Format, null);
        }
    }

    private static bool HasIso9660Signature(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (stream.Length < Iso9660SignatureOffset + 5)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[5];
        stream.Position = Iso9660SignatureOffset;
        stream.ReadExactly(signature);
        return signature.SequenceEqual("CD001"u8);
    }

    private static string Reason(string message)
    {
        const string Marker = " refused: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? message : message[(at + Marker.Length)..];
    }
}
