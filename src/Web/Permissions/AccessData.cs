namespace WebVirt.Web.Permissions;

/// <summary>
/// Everything permission decisions read, loaded from the database at once and never changed after: the ACL,
/// group memberships, roles and where each VM sits. Replaced as a whole when any of it changes.
/// </summary>
internal sealed class AccessData(
    IReadOnlyList<AclEntry> acl,
    ILookup<string, Guid> groupsByUser,
    IReadOnlyDictionary<string, IReadOnlySet<string>> roles,
    IReadOnlyDictionary<Guid, VmPlacement> vms,
    IReadOnlySet<string>? disabledUsers = null)
{
    /// <summary>Users an administrator disabled: they hold nothing, whatever the ACL still grants them.</summary>
    public IReadOnlySet<string> DisabledUsers { get; } = disabledUsers ?? new HashSet<string>();

    public IReadOnlyList<AclEntry> Acl { get; } = acl;

    public ILookup<string, Guid> GroupsByUser { get; } = groupsByUser;

    /// <summary>Built-in and custom roles by name (case-insensitive); an entry naming an unknown role grants nothing.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Roles { get; } = roles;

    public IReadOnlyDictionary<Guid, VmPlacement> Vms { get; } = vms;
}
