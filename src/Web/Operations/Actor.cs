using System.Security.Claims;

namespace WebVirt.Web.Operations;

/// <summary>Who did it, as tasks and audit rows record it.</summary>
internal static class Actor
{
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
