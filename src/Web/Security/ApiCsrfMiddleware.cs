using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Security;

/// <summary>
/// Cross-site request forgery guard for the REST API. A browser attaches the panel's cookie to every request to the
/// panel, including a form that another site submits; SameSite=Lax does not stop it from a same-site page (another port
/// of the same host). So a state-changing API call that is authenticated by the cookie must come from the panel's own
/// origin (its <c>Origin</c>, or its <c>Referer</c> when the browser sent no Origin) or carry the panel's antiforgery
/// token in the <c>RequestVerificationToken</c> header. Calls with a bearer token are exempt: no browser adds an
/// <c>Authorization</c> header to a cross-site request by itself.
/// </summary>
internal sealed class ApiCsrfMiddleware(RequestDelegate next, IAntiforgery antiforgery, IOptionsMonitor<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!NeedsCheck(context) || SameOrigin.IsTrusted(context.Request, options.CurrentValue.TrustedOrigins) || await antiforgery.IsRequestValidAsync(context))
        {
            await next(context);
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-site request refused",
            detail: "This request would change something and came with your browser's sign-in, but not from the panel's own pages. "
                + "Use the panel itself, or call the API with a token (Authorization: Bearer …). Behind a proxy that changes the panel's "
                + "address, add its public origin to Security:TrustedOrigins.").ExecuteAsync(context);
    }

    private static bool NeedsCheck(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method))
        && !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        // The default scheme is the cookie: an authenticated user here signed in through it.
        && context.User.Identity?.IsAuthenticated == true;
}
