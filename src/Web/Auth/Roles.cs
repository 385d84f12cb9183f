namespace WebVirt.Web.Auth;

internal static class Roles
{
    public const string Administrator = "Administrator";
}
