namespace WebVirt.Web.Permissions;

/// <summary>Where a VM sits in the ACL tree: under its host, and under its pool if it has one.</summary>
internal sealed record VmPlacement(Guid HostId, string? PoolName);
