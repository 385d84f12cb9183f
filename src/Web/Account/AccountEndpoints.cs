using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebVirt.Web.Inventory;
using WebVirt.Web.Security;

namespace WebVirt.Web.Account;

/// <summary>
/// Sign-in, sign-out and password change as plain form posts: the cookie can only be set on an HTTP
/// response, never from inside a Blazor circuit. The pages themselves are static SSR components.
/// </summary>
internal static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string ChangePasswordPath = "/account/change-password";
    public const string TwoFactorPath = "/account/login-2fa";
    public const string SecurityPath = "/account/security";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy);
        account.MapPost("/login-2fa", TwoFactorAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy);
        account.MapPost("/logout", LogoutAsync).RequireAuthorization();
        account.MapPost("/change-password", ChangePasswordAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, HttpContext context, SignInManager<WebVirtUser> signIn, SignInLockouts lockouts)
    {
        var returnUrl = LocalOrRoot(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            return BackToLogin(returnUrl, "invalid", form.UserName);
        }

        var userName = form.UserName.Trim();
        var address = ClientAddress.Of(context);
        if (lockouts.LockedUntil(userName, address) is { } locked)
        {
            return LockedOut(returnUrl, userName, locked);
        }

        var user = await signIn.UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // Answered like a real account, lockout and hashing time included: the page must not tell which names exist.
            DecoyPassword.Verify(signIn.UserManager.PasswordHasher, form.Password);
            return Failed();
        }

        // Wrong passwords count in SignInLockouts per (user, address), not in Identity's per-account lockout, which
        // anyone could use to keep the account locked; Identity's lockout remains for disabled accounts.
        var result = await signIn.PasswordSignInAsync(user, form.Password, isPersistent: false, lockoutOnFailure: false);
        if (result.IsLockedOut)
        {
            return LockedOut(returnUrl, userName, await signIn.UserManager.GetLockoutEndDateAsync(user));
        }

        if (result.Succeeded || result.RequiresTwoFactor)
        {
            lockouts.Reset(userName, address);
        }
        else if (!result.IsNotAllowed)
        {
            return Failed();
        }

        if (result.RequiresTwoFactor)
        {
            // Identity keeps the half-signed-in user in its short-lived two-factor cookie until the code comes.
            return Results.LocalRedirect($"{TwoFactorPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        if (!result.Succeeded)
        {
            return BackToLogin(returnUrl, "notallowed", userName);
        }

        return AfterSignIn(user, returnUrl);

        IResult Failed() => lockouts.RecordFailure(userName, address) is { } until
            ? LockedOut(returnUrl, userName, until)
            : BackToLogin(returnUrl, "invalid", userName);
    }

    private static async Task<IResult> TwoFactorAsync([FromForm] TwoFactorForm form, SignInManager<WebVirtUser> signIn)
    {
        var returnUrl = LocalOrRoot(form.ReturnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return BackToLogin(returnUrl, "expired", null);
        }

        var code = TwoFactorCodes.Normalize(form.Code, form.UseRecoveryCode);
        if (code.Length == 0)
        {
            return BackToTwoFactor(returnUrl, form.UseRecoveryCode, "invalid");
        }

        var users = signIn.UserManager;
        var result = form.UseRecoveryCode
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(code)
            : await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (!result.Succeeded && !result.IsLockedOut && form.UseRecoveryCode)
        {
            // Identity counts wrong authenticator codes toward the lockout but not wrong recovery codes:
            // without this, 10 recovery codes would be an unlimited guessing target.
            await users.AccessFailedAsync(user);
            result = await users.IsLockedOutAsync(user) ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut : result;
        }

        if (result.IsLockedOut)
        {
            await signIn.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
            return LockedOut(returnUrl, user.UserName, await users.GetLockoutEndDateAsync(user));
        }

        return result.Succeeded ? AfterSignIn(user, returnUrl) : BackToTwoFactor(returnUrl, form.UseRecoveryCode, "invalid");
    }

    private static IResult AfterSignIn(WebVirtUser user, string returnUrl) =>
        user.MustChangePassword
            ? Results.LocalRedirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(returnUrl)}")
            : Results.LocalRedirect(returnUrl);

    private static async Task<IResult> LogoutAsync(SignInManager<WebVirtUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect(LoginPath);
    }

    private static async Task<IResult> ChangePasswordAsync([FromForm] ChangePasswordForm form, [FromQuery] string? returnUrl, ClaimsPrincipal principal, SignInManager<WebVirtUser> signIn)
    {
        var target = LocalOrRoot(returnUrl);
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return Results.LocalRedirect(LoginPath);
        }

        string? error = null;
        if (string.IsNullOrEmpty(form.CurrentPassword) || string.IsNullOrEmpty(form.NewPassword))
        {
            error = "Enter your current password and a new one.";
        }
        else if (form.NewPassword != form.ConfirmPassword)
        {
            error = "The new password and its confirmation differ.";
        }
        else
        {
            var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (!result.Succeeded)
            {
                error = string.Join(" ", result.Errors.Select(e => e.Description));
            }
        }

        if (error is not null)
        {
            return Results.LocalRedirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(target)}&error={Uri.EscapeDataString(error)}");
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        // The password change renewed the security stamp: a fresh cookie keeps this browser signed in.
        await signIn.RefreshSignInAsync(user);
        return Results.LocalRedirect(target);
    }

    private static IResult BackToLogin(string returnUrl, string error, string? userName) =>
        Results.LocalRedirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}&error={error}&user={Uri.EscapeDataString(userName ?? "")}");

    /// <summary>The sign-in page with the lockout's end (Unix seconds), which it shows as a time.</summary>
    private static IResult LockedOut(string returnUrl, string? userName, DateTimeOffset? until) =>
        Results.LocalRedirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}&error=locked&until={until?.ToUnixTimeSeconds()}&user={Uri.EscapeDataString(userName ?? "")}");

    private static IResult BackToTwoFactor(string returnUrl, bool recovery, string error) =>
        Results.LocalRedirect($"{TwoFactorPath}?returnUrl={Uri.EscapeDataString(returnUrl)}&recovery={(recovery ? "true" : "false")}&error={error}");

    /// <summary>Only paths on this site: an absolute or protocol-relative URL would be an open redirect.</summary>
    internal static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
