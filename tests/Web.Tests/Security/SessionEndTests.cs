using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

/// <summary>Disabling a user or resetting their password ends their API tokens at once and their browser cookie at the next request.</summary>
public sealed class SessionEndTests : IDisposable
{
    private readonly PanelFactory _panel = new() { Settings = new Dictionary<string, string> { ["Security:SessionCheckSeconds"] = "1" } };

    [Fact]
    public async Task PasswordReset_RevokesTokens_AndEndsTheCookie()
    {
        var (userId, token, cookie) = await SignedInUserAsync();

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.ResetPasswordAsync(admin, userId, "a-brand-new-password-77", mustChangePassword: false));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/vms")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(cookie));
        Assert.Equal(0, await LiveTokensAsync(userId));
    }

    [Fact]
    public async Task Disable_RevokesTokensForGood_AndEndsTheCookie()
    {
        var (userId, token, cookie) = await SignedInUserAsync();

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: false));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/vms")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(cookie));

        // Enabled again: the old token stays dead.
        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: true));
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/vms")).StatusCode);
        Assert.Equal(0, await LiveTokensAsync(userId));
    }

    [Fact]
    public async Task Disable_EndsAnOpenCircuitsSignIn()
    {
        var (userId, _, _) = await SignedInUserAsync();
        using var scope = _panel.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<WebVirtUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
        using var circuit = new WebVirt.Web.Account.IdentityRevalidatingAuthenticationStateProvider(
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            _panel.Services.GetRequiredService<IServiceScopeFactory>(),
            _panel.Services.GetRequiredService<IOptions<IdentityOptions>>(),
            _panel.Services.GetRequiredService<IOptions<WebVirt.Web.Security.SecurityOptions>>(),
            _panel.Services.GetRequiredService<WebVirt.Web.Account.SignInEnds>());
        circuit.SetAuthenticationState(Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(principal)));

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: false));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False((await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Fact]
    public void CookieCheck_Default_IsFiveSeconds()
    {
        using var panel = new PanelFactory();
        Assert.Equal(TimeSpan.FromSeconds(5), panel.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval);
    }

    private async Task<(string UserId, HttpClient Token, string Cookie)> SignedInUserAsync()
    {
        var userId = await PanelAccess.CreateUserAsync(_panel, "worker");
        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Auditor, propagate: true));
        var token = await PanelAccess.ClientAsync(_panel, "worker");
        var cookie = await PanelCookies.SignInAsync(_panel, "worker", PanelAccess.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/v1/vms")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));
        return (userId, token, cookie);
    }

    private async Task<HttpStatusCode> WithCookieAsync(string cookie)
    {
        using var client = _panel.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vms");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<int> LiveTokensAsync(string userId)
    {
        await using var db = await _panel.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        return (await db.ApiTokens.Where(t => t.UserId == userId).ToListAsync()).Count(t => t.RevokedAt is null);
    }

    public void Dispose() => _panel.Dispose();
}
