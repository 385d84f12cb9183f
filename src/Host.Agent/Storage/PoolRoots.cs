using WebVirt.Host.Agent.Vms;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// Where pools may be: at or below a folder the administrator allows, and nowhere near the agent's own state.
/// Judged on the path with every symbolic link resolved (the folder and each parent), so that a link to /etc or a
/// folder reached through one is refused like /etc itself. Pool files are deleted as root: a pool at the wrong
/// place would let a pool user delete the host's files.
/// </summary>
internal sealed class PoolRoots(IReadOnlyList<string> roots, IReadOnlyList<ProtectedFolder> protectedFolders)
{
    /// <summary>The roots used when the administrator configured none, after the agent's data folder.</summary>
    public static readonly string[] SystemDefaults = ["/var/lib/webvirt", "/srv", "/mnt"];

    public IReadOnlyList<string> Roots { get; } = [.. roots.Select(PoolPaths.Normalise).Distinct()];

    /// <summary>Null when the existing, normalised folder <paramref name="path"/> may be a pool, else why not.</summary>
    public string? Check(string path)
    {
        string real;
        try
        {
            real = ImagePool.RealPath(path);
        }
        catch (IOException ex)
        {
            return $"'{path}' cannot be resolved: {ex.Message}";
        }

        var shown = real == path ? $"'{path}'" : $"'{path}' (which resolves to '{real}')";
        if (!Roots.Any(root => PoolPaths.IsInside(real, ResolvedOrSelf(root))))
        {
            return $"{shown} is not in a folder where this host allows pools: {string.Join(", ", Roots)}. "
                + "An administrator can allow another folder with the agent setting Agent:PoolRoots.";
        }

        foreach (var folder in protectedFolders)
        {
            var resolved = ResolvedOrSelf(PoolPaths.Normalise(folder.Path));
            if (PoolPaths.IsInside(real, resolved))
            {
                return $"{shown} lies in {folder.Path}, which holds {folder.What}: it cannot be a pool.";
            }

            if (PoolPaths.IsInside(resolved, real))
            {
                return $"{shown} contains {folder.Path}, which holds {folder.What}: it cannot be a pool.";
            }
        }

        return null;
    }

    // A root or protected folder with a link loop is compared as written rather than failing every pool.
    private static string ResolvedOrSelf(string path)
    {
        try
        {
            return ImagePool.RealPath(path);
        }
        catch (IOException)
        {
            return path;
        }
    }
}
