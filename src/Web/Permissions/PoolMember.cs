namespace WebVirt.Web.Permissions;

/// <summary>A VM's place in a <see cref="ResourcePool"/>: keyed by the VM, so a VM is in one pool at most; removed with the VM.</summary>
internal sealed class PoolMember
{
    public Guid VmId { get; set; }

    public required string PoolName { get; set; }
}
