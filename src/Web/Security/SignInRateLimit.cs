using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter on everything that checks a password or a second factor (the sign-in form, the
/// two-factor form, <c>POST /api/v1/auth/tokens</c>): <see cref="SecurityOptions.SignInPermitLimit"/> attempts per
/// client address per window, then 429 with <c>Retry-After</c>. It slows guessing from one address; the per-(user,
/// address) lockout in <see cref="Account.SignInLockouts"/> stops one address from guessing one account for long.
/// </summary>
internal static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue;
                // Sliding, in segments: a fixed window would allow twice the limit across its boundary.
                return RateLimitPartition.GetSlidingWindowLimiter(ClientAddress.Of(context), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = options.SignInPermitLimit,
                    Window = TimeSpan.FromSeconds(options.SignInWindowSeconds),
                    SegmentsPerWindow = Math.Min(6, options.SignInWindowSeconds),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = RejectAsync;
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var window = context.RequestServices.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.SignInWindowSeconds;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : window;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = $"Too many sign-in attempts from your address. Try again in {seconds} seconds.";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts", detail: message).ExecuteAsync(context);
            return;
        }

        // The sign-in forms are plain pages: a readable sentence, not JSON.
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, cancellationToken);
    }
}
