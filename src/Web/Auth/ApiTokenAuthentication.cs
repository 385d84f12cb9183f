namespace WebVirt.Web.Auth;

internal static class ApiTokenAuthentication
{
    /// <summary>Bearer API tokens tied to a user, for scripts and curl.</summary>
    public const string Scheme = "ApiToken";
}
