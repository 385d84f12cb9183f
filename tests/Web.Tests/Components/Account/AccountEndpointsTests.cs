using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using WebVirt.Web.Account;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Account;

public sealed partial class AccountEndpointsTests : IClassFixture<PanelFactory>
{
    private readonly PanelFactory _factory;

    public AccountEndpointsTests(PanelFactory factory) => _factory = factory;

    [Fact]
    public async Task Dashboard_Anonymous_RedirectsToSignInWithReturnUrl()
    {
        using var client = NoRedirects();
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2F", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Api_Anonymous_AnswersUnauthorized()
    {
        using var client = NoRedirects();
        using var response = await client.GetAsync("/api/v1/vms");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ReturnsToTheFormWithAnError()
    {
        using var client = NoRedirects();
        using var response = await PostLoginAsync(client, "admin", "not-the-password", "/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=invalid", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("webvirt=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignIn_ForeignReturnUrl_GoesToTheDashboardInstead()
    {
        using var client = NoRedirects();
        using var response = await PostLoginAsync(client, "admin", PanelFactory.AdminPassword, "//evil.example/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("webvirt=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/vms?x=1", "/vms?x=1")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void LocalOrRoot_KeepsOnlyLocalPaths(string? url, string expected) =>
        Assert.Equal(expected, AccountEndpoints.LocalOrRoot(url));

    private HttpClient NoRedirects() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password, string returnUrl)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
