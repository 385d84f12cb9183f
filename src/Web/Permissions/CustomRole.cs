namespace WebVirt.Web.Permissions;

/// <summary>
/// A role an administrator made: a named set of <see cref="Privileges"/>. The built-in roles are not stored
/// (<see cref="BuiltInRoles"/>), so they always match the privileges this version knows.
/// </summary>
internal sealed class CustomRole
{
    /// <summary>Unique among custom and built-in roles, compared case-insensitively.</summary>
    public required string Name { get; set; }

    /// <summary>Privilege names, comma-separated, as in <see cref="Privileges"/>.</summary>
    public required string PrivilegeList { get; set; }

    public IReadOnlyList<string> PrivilegeNames =>
        PrivilegeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
