namespace WebVirt.Web.Permissions;

/// <summary>
/// A named set of VMs (Proxmox's pools), to grant access to them together through <c>/pools/{name}</c>.
/// Not to be confused with a storage pool.
/// </summary>
internal sealed class ResourcePool
{
    /// <summary>The pool's key and the last segment of its ACL path; compared case-insensitively.</summary>
    public required string Name { get; set; }

    public string? Comment { get; set; }

    public List<PoolMember> Members { get; set; } = [];
}
