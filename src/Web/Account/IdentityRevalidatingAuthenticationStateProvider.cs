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
/// One user lookup by key per circuit per interval.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    IOptions<Security.SecurityOptions> security)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, security.Value.SessionCheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        return await SecurityStamps.StillValidAsync(users, authenticationState.User, options.Value);
    }
}
