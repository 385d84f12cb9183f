using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using WebVirt.Web.Api;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

public sealed class ApiCsrfTests : IDisposable
{
    private readonly PanelFactory _factory = new();
    private HttpClient? _admin;

    [Fact]
    public async Task CookiePost_FromAnotherOrigin_Is403ProblemAndCreatesNothing()
    {
        var cookie = await PanelCookies.SignInAsync(_factory, "admin", PanelFactory.AdminPassword);

        using var response = await SendAsync(HttpMethod.Post, "/api/v1/hosts", cookie, origin: "http://localhost:8080", body: new CreateHostRequest("csrf-host"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not from the panel's own pages", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await HostsAsync(), h => h.Name == "csrf-host");
    }

    [Fact]
    public async Task BodylessCookiePost_FromAForeignFormWithoutOrigin_IsRefusedAndRevokesNothing()
    {
        var host = await PanelClients.CreateHostAsync(await AdminAsync(), "node2");
        var cookie = await PanelCookies.SignInAsync(_factory, "admin", PanelFactory.AdminPassword);

        using var foreignReferer = await SendAsync(HttpMethod.Post, $"/api/v1/hosts/{host.Id}/revoke", cookie, referer: "http://evil.example/page.html");
        using var neither = await SendAsync(HttpMethod.Post, $"/api/v1/hosts/{host.Id}/revoke", cookie);
        using var nullOrigin = await SendAsync(HttpMethod.Post, $"/api/v1/hosts/{host.Id}/revoke", cookie, origin: "null");

        // What an auto-submitting <form method=POST> on another port of the same host sends.
        using var client = _factory.CreateClient();
        using var form = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hosts/{host.Id}/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        form.Headers.Add("Cookie", cookie);
        form.Headers.Add("Origin", "http://localhost:8080");
        using var formPost = await client.SendAsync(form);

        Assert.Equal(HttpStatusCode.Forbidden, foreignReferer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, neither.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, nullOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, formPost.StatusCode);
        Assert.False((await HostsAsync()).Single(h => h.Id == host.Id).Revoked);
    }

    [Fact]
    public async Task CookiePost_FromThePanelsOwnOrigin_Passes()
    {
        var cookie = await PanelCookies.SignInAsync(_factory, "admin", PanelFactory.AdminPassword);

        using var byOrigin = await SendAsync(HttpMethod.Post, "/api/v1/hosts", cookie, origin: "http://localhost", body: new CreateHostRequest("by-origin"));
        using var byReferer = await SendAsync(HttpMethod.Post, "/api/v1/hosts", cookie, referer: "http://localhost/admin/hosts", body: new CreateHostRequest("by-referer"));

        Assert.Equal(HttpStatusCode.Created, byOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byReferer.StatusCode);
    }

    [Fact]
    public async Task BearerPost_WithoutOrigin_Passes()
    {
        var admin = await AdminAsync();

        using var response = await admin.PostAsJsonAsync("/api/v1/hosts", new CreateHostRequest("by-token"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_FromATrustedOrigin_Passes()
    {
        using var factory = _factory.WithWebHostBuilder(b => b.UseSetting("Security:TrustedOrigins:0", "https://panel.example.net"));
        var cookie = await PanelCookies.SignInAsync(factory, "admin", PanelFactory.AdminPassword);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hosts") { Content = JsonContent.Create(new CreateHostRequest("proxied")) };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", "https://panel.example.net");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithTheAntiforgeryHeader_PassesWithoutOrigin()
    {
        // A browser client: the sign-in cookie and the antiforgery cookie, and a token from a page of the panel.
        using var browser = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await browser.GetStringAsync("/account/login");
        using (var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken(login),
            ["UserName"] = "admin",
            ["Password"] = PanelFactory.AdminPassword,
            ["ReturnUrl"] = "/",
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var token = FormToken(await browser.GetStringAsync("/account/change-password"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/hosts") { Content = JsonContent.Create(new CreateHostRequest("by-header")) };
        request.Headers.Add("RequestVerificationToken", token);
        using var withHeader = await browser.SendAsync(request);
        using var wrongHeader = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/hosts")
        {
            Content = JsonContent.Create(new CreateHostRequest("by-bad-header")),
            Headers = { { "RequestVerificationToken", "not-a-token" } },
        });

        Assert.Equal(HttpStatusCode.Created, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongHeader.StatusCode);
    }

    [Fact]
    public void Start_ATrustedOriginWithAPath_FailsWithAClearMessage()
    {
        using var factory = _factory.WithWebHostBuilder(b => b.UseSetting("Security:TrustedOrigins:0", "https://panel.example.net/webvirt"));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.Services);

        Assert.Contains("'https://panel.example.net/webvirt' is not an origin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieGet_FromAnotherOrigin_IsNotRefused()
    {
        var cookie = await PanelCookies.SignInAsync(_factory, "admin", PanelFactory.AdminPassword);

        using var response = await SendAsync(HttpMethod.Get, "/api/v1/hosts", cookie, origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookie, string? origin = null, string? referer = null, object? body = null)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }

    private static string FormToken(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

    private async Task<List<HostResponse>> HostsAsync() =>
        (await (await AdminAsync()).GetFromJsonAsync<List<HostResponse>>("/api/v1/hosts"))!;

    private async Task<HttpClient> AdminAsync() => _admin ??= await PanelClients.AdminAsync(_factory);

    public void Dispose()
    {
        _admin?.Dispose();
        _factory.Dispose();
    }
}
