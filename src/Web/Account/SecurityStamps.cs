using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Whether a principal still speaks for its account: the account exists and its security stamp is the one the
/// principal was signed in with (a password reset or a disable changes it). Open pages and open consoles ask.
/// </summary>
internal static class SecurityStamps
{
    public static async Task<bool> StillValidAsync(UserManager<WebVirtUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        return !users.SupportsUserSecurityStamp
            || principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
