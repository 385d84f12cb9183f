namespace WebVirt.Web.Permissions;

/// <summary>A named set of users; an ACL entry granted to a group applies to each of its members.</summary>
internal sealed class AccessGroup
{
    public Guid Id { get; set; }

    /// <summary>Unique, compared case-insensitively.</summary>
    public required string Name { get; set; }

    public string? Comment { get; set; }

    public List<AccessGroupMember> Members { get; set; } = [];
}
