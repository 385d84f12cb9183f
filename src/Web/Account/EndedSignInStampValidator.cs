using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Identity's cookie check against the security stamp, made at once (not only every
/// <see cref="SecurityStampValidatorOptions.ValidationInterval"/>) for a cookie of a user whose sign-ins were ended
/// after it was issued (<see cref="SignInEnds"/>): otherwise a disabled user's browser could open a console or a new
/// page for up to that interval after the administrator's click.
/// </summary>
internal sealed class EndedSignInStampValidator(
    IOptions<SecurityStampValidatorOptions> options,
    SignInManager<WebVirtUser> signInManager,
    ILoggerFactory logger,
    SignInEnds ends)
    : SecurityStampValidator<WebVirtUser>(options, signInManager, logger)
{
    public override Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Properties.IssuedUtc is { } issued
            && ends.MayPredateAnEnd(context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), issued))
        {
            // Seen as older than the interval, the base class checks the stamp now; a cookie that passes is renewed
            // from now on with its lifetime unchanged (issue and expiry move together).
            var age = Options.ValidationInterval + TimeSpan.FromSeconds(1);
            context.Properties.IssuedUtc = issued - age;
            context.Properties.ExpiresUtc -= age;
        }

        return base.ValidateAsync(context);
    }
}
