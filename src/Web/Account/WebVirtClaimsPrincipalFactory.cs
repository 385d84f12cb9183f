using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Identity's principal (id, name, roles, security stamp) plus <see cref="MustChangePasswordClaim"/> when the user must
/// choose a new password, so that <see cref="PasswordChangeGate"/> can hold every request without a database read.
/// A password change refreshes the cookie, and the new principal lacks the claim.
/// </summary>
internal sealed class WebVirtClaimsPrincipalFactory(UserManager<WebVirtUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<WebVirtUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(WebVirtUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(MustChangePasswordClaim.Type, MustChangePasswordClaim.Value));
        }

        return identity;
    }
}
