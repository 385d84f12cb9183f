using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

/// <summary>Checks every path and size before it can reach a qemu-img command line.</summary>
internal static class ImageArgumentRules
{
    public const long MaxSizeBytes = 64L << 40;

    public static void RequirePath(string path, string paramName)
    {
        ArgumentNullException.ThrowIfNull(path, paramName);
        if (path.Length == 0)
        {
            throw new ArgumentException("Image path is empty.", paramName);
        }

        // An absolute path cannot start with '-', but say so explicitly in case the rule above changes.
        if (path[0] == '-')
        {
            throw new ArgumentException($"Image path must not start with '-' (qemu-img would read it as an option): {Printable(path)}", paramName);
        }

        if (path[0] != '/' || !Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"Image path must be absolute: {Printable(path)}", paramName);
        }

        if (path.Any(char.IsControl))
        {
            throw new ArgumentException($"Image path contains a control character: {Printable(path)}", paramName);
        }

        // QEMU option strings split on ',': refusing commas outright keeps a path from ever adding an option,
        // even where a value is not escaped.
        if (path.Contains(','))
        {
            throw new ArgumentException($"Image path must not contain ',': {Printable(path)}", paramName);
        }

        if (path.EndsWith('/'))
        {
            throw new ArgumentException($"Image path names a directory, not a file: {Printable(path)}", paramName);
        }
    }

    public static void RequireSize(long sizeBytes, string paramName)
    {
        if (sizeBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, sizeBytes, "Image size must be greater than 0 bytes.");
        }

        if (sizeBytes > MaxSizeBytes)
        {
            throw new ArgumentOutOfRangeException(paramName, sizeBytes, $"Image size must be at most 64 TiB ({MaxSizeBytes} bytes).");
        }
    }

    public static void RequireFormat(DiskFormat format, string paramName)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(paramName, format, "Unknown disk format.");
        }
    }

    /// <summary>Renders a hostile path readably in a message, without raw newlines or escapes.</summary>
    public static string Printable(string path)
    {
        var builder = new System.Text.StringBuilder(path.Length + 2);
        builder.Append('"');
        foreach (var c in path.Length > 300 ? path[..300] : path)
        {
            if (char.IsControl(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append(path.Length > 300 ? "…\"" : "\"");
        return builder.ToString();
    }
}
