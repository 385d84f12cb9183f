namespace WebVirt.Web.Account;

/// <summary>
/// Holds a user who must change their password to the change-password page: every page redirects there, and the
/// API (cookie or token) and the Blazor circuit answer 403, so the first password (or one an administrator set) cannot
/// be used for anything but choosing a new one. A redirect after sign-in alone left every other URL open.
/// </summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    private static readonly string[] Open =
    [
        AccountEndpoints.ChangePasswordPath, AccountEndpoints.LoginPath, AccountEndpoints.TwoFactorPath,
        "/account/logout", "/account/access-denied", "/_framework", "/_content",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!context.User.HasClaim(MustChangePasswordClaim.Type, MustChangePasswordClaim.Value) || Open.Any(p => path.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }

        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/_blazor") && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.Redirect($"{AccountEndpoints.ChangePasswordPath}?returnUrl={Uri.EscapeDataString(AccountEndpoints.LocalOrRoot(path + context.Request.QueryString))}");
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Password change required",
            detail: $"This account must choose a new password first: open {AccountEndpoints.ChangePasswordPath} in the panel and change it.").ExecuteAsync(context);
    }
}
