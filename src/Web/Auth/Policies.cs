namespace WebVirt.Web.Auth;

internal static class Policies
{
    /// <summary>
    /// Any signed-in user, by cookie or by API token. What they may do is decided per action through
    /// <see cref="Permissions.PermissionService"/>; the API groups require at least this.
    /// </summary>
    public const string SignedIn = "SignedIn";

    /// <summary>
    /// Users holding Sys.Modify on <c>/</c> through the ACL (no longer the Identity role), by cookie or by API
    /// token: for whole-panel administration that has no finer privilege.
    /// </summary>
    public const string Administrator = "Administrator";
}
