using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Where a VM's disk images may lie: anywhere in the image folder (as VMs were always created there), or
/// directly in any other pool of the host. Judged with every symbolic link resolved, so that neither '..'
/// nor a link placed in a pool reaches a file elsewhere on the host.
/// </summary>
internal sealed class DiskPlacement(ImagePool imagePool, PoolRegistry pools)
{
    /// <summary>Null when <paramref name="path"/> may hold a disk, else why not. Relative or empty paths are left to the definition validator.</summary>
    public string? CheckInside(string? path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path) || path.Any(char.IsControl))
        {
            return null;
        }

        return imagePool.CheckInside(path) is null || PoolOf(path) is not null
            ? null
            : $"'{path}' is outside this host's image pool {imagePool.Root} and not directly in another of its pools";
    }

    public bool Contains(string? path) => !string.IsNullOrEmpty(path) && Path.IsPathFullyQualified(path) && CheckInside(path) is null;

    /// <summary>The pool whose folder holds <paramref name="path"/> directly (links resolved), or null.</summary>
    public string? PoolOf(string path)
    {
        var folder = Path.GetDirectoryName(ImagePool.RealPath(Path.GetFullPath(path)));
        return pools.Paths.FirstOrDefault(p => ImagePool.RealPath(p) == folder);
    }
}
