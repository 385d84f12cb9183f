namespace WebVirt.Web.Disks;

/// <summary>Where a disk added to a VM comes from, as Proxmox's "Add: Hard Disk" offers it.</summary>
public enum DiskSource
{
    /// <summary>A new empty image of the requested size.</summary>
    New,

    /// <summary>A copy converted from an image file in a pool (read in a format the user names, never guessed).</summary>
    Import,

    /// <summary>An image file already in a pool, used in place.</summary>
    Existing,
}
