using WebVirt.Host.Agent.Vms;

namespace WebVirt.Host.Agent.Storage;

/// <summary>The rules a folder must meet to become a pool.</summary>
internal static class PoolPaths
{
    private static readonly string[] Forbidden = ["/proc", "/sys", "/dev"];

    /// <summary>Null when <paramref name="path"/> may become a pool, else why not.</summary>
    public static string? Check(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "The pool's path is empty.";
        }

        if (path.Any(char.IsControl))
        {
            return "The pool's path contains control characters.";
        }

        // QEMU reads ',' as its option separator; image paths with one are refused further down, so no pool may have one.
        if (path.Contains(',', StringComparison.Ordinal))
        {
            return $"'{path}' contains ',', which QEMU reads as an option separator.";
        }

        if (!Path.IsPathFullyQualified(path))
        {
            return $"'{path}' is not an absolute path.";
        }

        if (Normalise(path) != path)
        {
            return $"'{path}' is not normalised: write it as '{Normalise(path)}'.";
        }

        if (path == "/")
        {
            return "The root folder cannot be a pool.";
        }

        if (!Directory.Exists(path))
        {
            return $"'{path}' is not an existing folder.";
        }

        var real = ImagePool.RealPath(path);
        return Forbidden.FirstOrDefault(f => IsInside(real, f)) is { } system
            ? $"'{path}' lies in {system}, which holds the kernel's files, not storage."
            : null;
    }

    /// <summary>The path without '.', '..', doubled or trailing slashes.</summary>
    public static string Normalise(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (plain string logic on normalised paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        var prefix = folder.EndsWith('/') ? folder : folder + "/";
        return path == folder || path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
