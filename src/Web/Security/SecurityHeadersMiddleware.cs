namespace WebVirt.Web.Security;

/// <summary>
/// Headers every response carries: no MIME sniffing (an uploaded file or a log never runs as a script), no framing by
/// other sites (clickjacking of the power buttons), no full URLs (with their ids) in Referer to other sites, and HSTS
/// when the request came over HTTPS (sent over plain HTTP it would be meaningless, and a browser ignores it).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>One year, as browsers' preload lists expect; without includeSubDomains, which the panel cannot speak for.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        // frame-ancestors only: a script/style policy needs its own review of Blazor's and MudBlazor's inline code.
        // Blazor's interactive render mode adds this same policy to the pages it renders: set it only where it did not.
        context.Response.OnStarting(() =>
        {
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = "frame-ancestors 'self'";
            }

            return Task.CompletedTask;
        });
        headers["Referrer-Policy"] = "same-origin";
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        return next(context);
    }
}
