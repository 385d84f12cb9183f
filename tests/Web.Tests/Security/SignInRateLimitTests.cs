using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Auth;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

/// <summary>Rate limits and lockouts of sign-in and /auth/tokens, per client address; each test has a panel of its own.</summary>
public sealed class SignInRateLimitTests : IDisposable
{
    private readonly PanelFactory _panel = new() { TestServices = services => services.AddSingleton<IStartupFilter, ClientAddressFilter>() };
    private readonly WebApplicationFactory<Program> _factory;

    public SignInRateLimitTests() =>
        // The default limit (PanelFactory raises it for every other test).
        _factory = _panel.WithWebHostBuilder(b => b.UseSetting("Security:SignInPermitLimit", "5"));

    [Fact]
    public async Task SixthRapidTokenRequest_FromOneAddress_Is429WithRetryAfter_AndAnotherAddressStillSignsIn()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await TokenAsync("192.0.2.1", "admin", "wrong-" + attempt);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, wrong.StatusCode);
        }

        using var sixth = await TokenAsync("192.0.2.1", "admin", PanelFactory.AdminPassword);
        using var elsewhere = await TokenAsync("198.51.100.7", "admin", PanelFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.True(sixth.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        Assert.Equal("application/problem+json", sixth.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many sign-in attempts", await sixth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task SixthRapidSignInForm_FromOneAddress_Is429()
    {
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var response = await SignInFormAsync("192.0.2.1", "admin", "wrong-" + attempt);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Redirect, 5), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Lockout_FromOneAddress_DoesNotLockTheUserOutFromAnother()
    {
        using var factory = _panel.WithWebHostBuilder(b => b.UseSetting("Security:SignInPermitLimit", "100"));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var _ = await TokenAsync("192.0.2.1", "admin", "wrong-" + attempt, factory);
        }

        using var attacker = await TokenAsync("192.0.2.1", "admin", PanelFactory.AdminPassword, factory);
        using var user = await TokenAsync("198.51.100.7", "admin", PanelFactory.AdminPassword, factory);
        using var form = await SignInFormAsync("198.51.100.7", "admin", PanelFactory.AdminPassword, factory);

        Assert.Equal((HttpStatusCode)423, attacker.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal("/", form.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Tokens_UnknownAndKnownUser_AnswerTheSame()
    {
        using var factory = _panel.WithWebHostBuilder(b => b.UseSetting("Security:SignInPermitLimit", "100"));
        var known = new List<string>();
        var unknown = new List<string>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var real = await TokenAsync("192.0.2.1", "admin", "wrong-" + attempt, factory);
            known.Add(await OutcomeAsync(real));
            using var madeUp = await TokenAsync("192.0.2.1", "no-such-user", "wrong-" + attempt, factory);
            unknown.Add(await OutcomeAsync(madeUp));
        }

        Assert.Equal(401, JsonDocument.Parse(known[0]).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(423, JsonDocument.Parse(known[5]).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task Tokens_SecondRequestWithoutName_GetsItsOwnName_ARepeatedNameIs409()
    {
        using var client = _panel.CreateClient();

        using var first = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, null, null));
        using var second = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, null, null));
        using var named = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, "ci", null));
        using var again = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, "ci", null));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already have a token named 'ci'", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> TokenAsync(string address, string user, string password, WebApplicationFactory<Program>? factory = null)
    {
        var client = (factory ?? _factory).CreateClient();
        client.DefaultRequestHeaders.Add(ClientAddressFilter.Header, address);
        return client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest(user, password, null, null));
    }

    private async Task<HttpResponseMessage> SignInFormAsync(string address, string user, string password, WebApplicationFactory<Program>? factory = null)
    {
        var client = (factory ?? _factory).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(ClientAddressFilter.Header, address);
        var form = await client.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = user,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
    }

    /// <summary>Status, title and detail of a problem answer (its traceId differs by nature).</summary>
    private static async Task<string> OutcomeAsync(HttpResponseMessage response)
    {
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return JsonSerializer.Serialize(new
        {
            status = (int)response.StatusCode,
            title = problem.GetProperty("title").GetString(),
            detail = problem.GetProperty("detail").GetString(),
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        _panel.Dispose();
    }
}
