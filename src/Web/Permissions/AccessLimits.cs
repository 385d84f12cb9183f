namespace WebVirt.Web.Permissions;

/// <summary>Column sizes of the access model.</summary>
internal static class AccessLimits
{
    public const int CommentLength = 256;
    public const int PathLength = 160;
    public const int PrivilegeListLength = 1024;
}
