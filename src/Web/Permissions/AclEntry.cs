namespace WebVirt.Web.Permissions;

/// <summary>Grants a role on a path to a user or a group (exactly one of the two), and below it when it propagates.</summary>
internal sealed class AclEntry
{
    public Guid Id { get; set; }

    /// <summary>One of the <see cref="AclPaths"/> forms.</summary>
    public required string Path { get; set; }

    public string? UserId { get; set; }

    public Guid? GroupId { get; set; }

    /// <summary>A built-in or custom role's name.</summary>
    public required string RoleName { get; set; }

    public bool Propagate { get; set; } = true;
}
