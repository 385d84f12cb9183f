namespace WebVirt.Web.Security;

/// <summary>Registration and middleware of the panel's request hardening (headers, CSRF, sign-in rate limits).</summary>
internal static class SecurityExtensions
{
    public static IServiceCollection AddPanelSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSignInRateLimit();

        // Identity re-reads the user's security stamp for a cookie only this often (30 minutes by default): disabling a
        // user or resetting a password changes the stamp, and must end the browser session within seconds.
        services.AddOptions<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<SecurityOptions>>((stamp, security) =>
                stamp.ValidationInterval = TimeSpan.FromSeconds(security.Value.SessionCheckSeconds));
        return services;
    }

    /// <summary>First in the pipeline, so that static files and errors carry the headers too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.UseMiddleware<SecurityHeadersMiddleware>();

    /// <summary>After authentication (it needs to know whether the cookie signed the request in), before the endpoints.</summary>
    public static IApplicationBuilder UseApiCsrfProtection(this IApplicationBuilder app) => app.UseMiddleware<ApiCsrfMiddleware>();
}
