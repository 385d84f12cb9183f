using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using WebVirt.Web.Auth;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

/// <summary>A user who must change their password can do nothing else, by cookie or by token.</summary>
public sealed class PasswordChangeGateTests : IDisposable
{
    private const string UserName = "newcomer";
    private readonly PanelFactory _factory = new();

    [Fact]
    public async Task Token_ForAUserWhoMustChangePassword_Is403()
    {
        await CreateUserAsync();
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest(UserName, PanelAccess.UserPassword, null, null));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("must choose a new password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    [InlineData("/account/security")]
    public async Task EveryPage_ForAUserWhoMustChangePassword_RedirectsToTheChange(string page)
    {
        await CreateUserAsync();
        var cookie = await PanelCookies.SignInAsync(_factory, UserName, PanelAccess.UserPassword);
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.Add("Cookie", cookie);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/change-password?returnUrl=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_ByCookie_ForAUserWhoMustChangePassword_Is403Problem()
    {
        await CreateUserAsync();
        var cookie = await PanelCookies.SignInAsync(_factory, UserName, PanelAccess.UserPassword);
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vms");
        request.Headers.Add("Cookie", cookie);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ChangePasswordPage_StaysOpen()
    {
        await CreateUserAsync();
        var cookie = await PanelCookies.SignInAsync(_factory, UserName, PanelAccess.UserPassword);
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/change-password");
        request.Headers.Add("Cookie", cookie);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task CreateUserAsync() =>
        PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreateUserAsync(admin, UserName, null, PanelAccess.UserPassword, mustChangePassword: true));

    public void Dispose() => _factory.Dispose();
}
