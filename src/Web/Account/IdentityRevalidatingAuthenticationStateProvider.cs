using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>
/// Re-checks the security stamp of a circuit's user every <see cref="Security.SecurityOptions.SessionCheckSeconds"/>
/// (at least a second), as the cookie is checked, so a disabled user or a reset password ends open pages too, not
/// only new requests. It was 30 minutes, during which a disabled user's open dashboard could still pause VMs.
/// One user lookup by key per circuit per interval; and at once when this panel ends the user's sign-ins
/// (<see cref="SignInEnds"/>), so an open page does not outlive the administrator's click by up to an interval.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptions<IdentityOptions> _options;
    private readonly IOptions<Security.SecurityOptions> _security;
    private readonly SignInEnds _ends;
    private readonly ILogger _logger;

    public IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options,
        IOptions<Security.SecurityOptions> security,
        SignInEnds ends)
        : base(loggerFactory)
    {
        _scopeFactory = scopeFactory;
        _options = options;
        _security = security;
        _ends = ends;
        _logger = loggerFactory.CreateLogger<IdentityRevalidatingAuthenticationStateProvider>();
        _ends.Ended += OnSignInsEnded;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, _security.Value.SessionCheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = _scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        return await SecurityStamps.StillValidAsync(users, authenticationState.User, _options.Value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ends.Ended -= OnSignInsEnded;
        }

        base.Dispose(disposing);
    }

    // Raised on the administrator's request: everything after the user id comparison runs off it.
    private void OnSignInsEnded(string userId) => _ = EndIfInvalidAsync(userId);

    private async Task EndIfInvalidAsync(string userId)
    {
        Task<AuthenticationState> current;
        try
        {
            current = GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            // A circuit that has no user yet: it gets one from a cookie, which is checked (EndedSignInStampValidator).
            return;
        }

        try
        {
            var state = await current;
            if (state.User.FindFirstValue(ClaimTypes.NameIdentifier) == userId && !await ValidateAuthenticationStateAsync(state, CancellationToken.None))
            {
                // As the periodic check signs out: the page's authorization shows the sign-in redirect.
                SetAuthenticationState(Task.FromResult(SignedOut));
            }
        }
        catch (Exception ex)
        {
            SessionLog.EndCheckFailed(_logger, userId, ex.Message);
        }
    }
}
