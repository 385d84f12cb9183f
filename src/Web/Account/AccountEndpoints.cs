using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Sign-in, sign-out and password change as plain form posts: the cookie can only be set on an HTTP
/// response, never from inside a Blazor circuit. The pages themselves are static SSR components.
/// </summary>
internal static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string ChangePasswordPath = "/account/change-password";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", LoginAsync).AllowAnonymous();
        account.MapPost("/logout", LogoutAsync).RequireAuthorization();
        account.MapPost("/change-password", ChangePasswordAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, SignInManager<WebVirtUser> signIn, HttpContext context)
    {
        var returnUrl = LocalOrRoot(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            return BackToLogin(returnUrl, "invalid", form.UserName);
        }

        var result = await signIn.PasswordSignInAsync(form.UserName.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return BackToLogin(returnUrl, "locked", form.UserName);
        }

        if (!result.Succeeded)
        {
            return BackToLogin(returnUrl, result.IsNotAllowed ? "notallowed" : "invalid", form.UserName);
        }

        var user = await signIn.UserManager.FindByNameAsync(form.UserName.Trim());
        return user is { MustChangePassword: true }
            ? Results.LocalRedirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(returnUrl)}")
            : Results.LocalRedirect(returnUrl);
    }

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

    /// <summary>Only paths on this site: an absolute or protocol-relative URL would be an open redirect.</summary>
    internal static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
