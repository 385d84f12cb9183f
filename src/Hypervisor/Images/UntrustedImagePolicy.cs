namespace WebVirt.Hypervisor.Images;

/// <summary>What qemu-img's report of an uploaded image must show before the image may be used.</summary>
internal static class UntrustedImagePolicy
{
    /// <returns>Why the image is refused, or null when it is acceptable.</returns>
    public static string? FindViolation(ImageInfo info)
    {
        if (info.Format is not ("raw" or "qcow2"))
        {
            return $"its format is {Quote(info.Format)}; only raw (including ISO) and qcow2 are accepted";
        }

        if (info.BackingFile is not null || info.BackingFormat is not null)
        {
            return "it names a backing file";
        }

        if (info.DataFile is not null)
        {
            return "it names an external data file";
        }

        if (info.Encrypted)
        {
            return "it is encrypted, and its key is unknown here";
        }

        if (info.Corrupt == true)
        {
            return "qemu marked it corrupt";
        }

        if (info.VirtualSize <= 0)
        {
            return "it is empty";
        }

        return info.VirtualSize > ImageArgumentRules.MaxSizeBytes
            ? $"its virtual size of {info.VirtualSize} bytes exceeds 64 TiB"
            : null;
    }

    // The name comes from qemu's probe, but keep whatever it is to one short printable line.
    private static string Quote(string format) =>
        "\"" + new string([.. format.Take(32).Select(c => char.IsControl(c) ? '?' : c)]) + "\"";
}
