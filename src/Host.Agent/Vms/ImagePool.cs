namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// The folder that holds this host's disk images. The agent only creates, hands to QEMU or deletes images
/// inside it, judged on the path with every symbolic link resolved, so that neither '..' nor a link placed
/// in the pool reaches a file elsewhere on the host.
/// </summary>
internal sealed class ImagePool(string directory)
{
    private const int MaxLinkDepth = 40;

    public string Root { get; } = Path.GetFullPath(directory);

    public void EnsureExists() => Directory.CreateDirectory(Root);

    /// <summary>Null when <paramref name="path"/> lies inside the pool, else why not. Relative or empty paths are left to the definition validator.</summary>
    public string? CheckInside(string? path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path) || path.Any(char.IsControl))
        {
            return null;
        }

        var root = RealPath(Root);
        var prefix = root.EndsWith('/') ? root : root + "/";
        return RealPath(Path.GetFullPath(path)).StartsWith(prefix, StringComparison.Ordinal)
            ? null
            : $"'{path}' is outside this host's image pool {Root}";
    }

    public bool Contains(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path) && CheckInside(path) is null;

    /// <summary>The absolute path with every symbolic link along it resolved, as realpath(3) but for paths that need not exist yet.</summary>
    public static string RealPath(string fullPath) => RealPath(fullPath, 0);

    private static string RealPath(string fullPath, int depth)
    {
        var current = "/";
        foreach (var segment in fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, segment);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (depth >= MaxLinkDepth)
                {
                    throw new IOException($"Too many levels of symbolic links at {next}.");
                }

                current = RealPath(Path.GetFullPath(target, current), depth + 1);
            }
            else
            {
                current = next;
            }
        }

        return current;
    }
}
