namespace WebVirt.Web.Auth;

internal static class Policies
{
    /// <summary>Administrators only, signed in by cookie or by API token (until the permission model arrives).</summary>
    public const string Administrator = "Administrator";
}
