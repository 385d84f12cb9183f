using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebVirt.Web.Account;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Account;

/// <summary>
/// With an hour between the periodic checks, an administrator's disable, reset or delete still ends the user's open
/// page (circuit) and cookie at once; other users' stay, and signing in again afterwards works.
/// </summary>
public sealed class SignInEndsTests : IDisposable
{
    /// <summary>"At once", on a busy machine; far below the hour.</summary>
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(3);

    private readonly PanelFactory _panel = new() { Settings = new Dictionary<string, string> { ["Security:SessionCheckSeconds"] = "3600" } };

    [Fact]
    public async Task Disable_EndsTheOpenPageAndTheCookieAtOnce_OthersStay()
    {
        var worker = await UserAsync("worker");
        var other = await UserAsync("other");
        using var workerPage = await CircuitAsync(worker);
        using var otherPage = await CircuitAsync(other);
        var workerCookie = await PanelCookies.SignInAsync(_panel, "worker", PanelAccess.UserPassword);
        var otherCookie = await PanelCookies.SignInAsync(_panel, "other", PanelAccess.UserPassword);
        var clock = Stopwatch.StartNew();

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.SetUserEnabledAsync(admin, worker, enabled: false));

        await AssertSignedOutAsync(workerPage, clock);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(workerCookie));
        Assert.True(await SignedInAsync(otherPage));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(otherCookie));
    }

    [Fact]
    public async Task PasswordReset_EndsTheOpenPageAndTheCookieAtOnce_ANewSignInWorks()
    {
        var worker = await UserAsync("worker");
        using var page = await CircuitAsync(worker);
        var cookie = await PanelCookies.SignInAsync(_panel, "worker", PanelAccess.UserPassword);
        var clock = Stopwatch.StartNew();

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.ResetPasswordAsync(admin, worker, "a-brand-new-password-77", mustChangePassword: false));

        await AssertSignedOutAsync(page, clock);
        Assert.Equal(HttpStatusCode.Unauthorized, await WithCookieAsync(cookie));

        // Within the same second as the reset: the new cookie is checked against the new stamp, and passes.
        var again = await PanelCookies.SignInAsync(_panel, "worker", "a-brand-new-password-77");
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(again));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(again));
    }

    [Fact]
    public async Task Delete_EndsTheOpenPageAtOnce()
    {
        var worker = await UserAsync("worker");
        using var page = await CircuitAsync(worker);
        var clock = Stopwatch.StartNew();

        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.DeleteUserAsync(admin, worker));

        await AssertSignedOutAsync(page, clock);
    }

    private async Task<string> UserAsync(string userName)
    {
        var userId = await PanelAccess.CreateUserAsync(_panel, userName);
        await PanelAccess.AsAdminAsync(_panel, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Auditor, propagate: true));
        return userId;
    }

    /// <summary>An open page's authentication state, as a circuit of the user holds it.</summary>
    private async Task<IdentityRevalidatingAuthenticationStateProvider> CircuitAsync(string userId)
    {
        using var scope = _panel.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<WebVirtUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
        var circuit = new IdentityRevalidatingAuthenticationStateProvider(
            NullLoggerFactory.Instance,
            _panel.Services.GetRequiredService<IServiceScopeFactory>(),
            _panel.Services.GetRequiredService<IOptions<IdentityOptions>>(),
            _panel.Services.GetRequiredService<IOptions<WebVirt.Web.Security.SecurityOptions>>(),
            _panel.Services.GetRequiredService<SignInEnds>());
        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return circuit;
    }

    private static async Task<bool> SignedInAsync(AuthenticationStateProvider circuit) =>
        (await circuit.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated == true;

    private static async Task AssertSignedOutAsync(AuthenticationStateProvider circuit, Stopwatch clock)
    {
        while (await SignedInAsync(circuit) && clock.Elapsed < AtOnce)
        {
            await Task.Delay(20);
        }

        Assert.False(await SignedInAsync(circuit), $"the page was still signed in after {clock.Elapsed}");
    }

    private async Task<HttpStatusCode> WithCookieAsync(string cookie)
    {
        using var client = _panel.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vms");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => _panel.Dispose();
}
