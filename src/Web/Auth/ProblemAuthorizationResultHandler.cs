using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace WebVirt.Web.Auth;

/// <summary>
/// The API's 401 and 403 from authorization policies, as problem+json with a sentence, like every other refusal:
/// the schemes' own challenge and forbid left them with an empty body. Pages keep their redirects.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler schemes = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await schemes.HandleAsync(next, context, policy, authorizeResult);
        if (!(authorizeResult.Challenged || authorizeResult.Forbidden) || context.Response.HasStarted || !context.Request.Path.StartsWithSegments("/api"))
        {
            return;
        }

        var (title, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => ("Not signed in", "Sign in, or send an API token as 'Authorization: Bearer …' (POST /api/v1/auth/tokens gives one)."),
            StatusCodes.Status403Forbidden => ("Forbidden", policy.Requirements.OfType<RootPrivilegeRequirement>().FirstOrDefault() is { } root
                ? $"You lack {root.Privilege} on /."
                : "You may not do this."),
            _ => (null, null),
        };
        if (detail is not null)
        {
            await Results.Problem(statusCode: context.Response.StatusCode, title: title, detail: detail).ExecuteAsync(context);
        }
    }
}
