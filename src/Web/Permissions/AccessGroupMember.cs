namespace WebVirt.Web.Permissions;

/// <summary>One user in one <see cref="AccessGroup"/>; removed with either.</summary>
internal sealed class AccessGroupMember
{
    public Guid GroupId { get; set; }

    public required string UserId { get; set; }
}
