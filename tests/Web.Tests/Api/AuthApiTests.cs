using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WebVirt.Web.Auth;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

public sealed class AuthApiTests : IDisposable
{
    private readonly PanelFactory _factory = new();

    [Fact]
    public async Task Api_WithoutCredentials_Is401NotARedirect()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/api/v1/vms");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_RightPassword_GrantsApiAccess()
    {
        using var client = await PanelClients.AdminAsync(_factory);

        using var response = await client.GetAsync("/api/v1/hosts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_WrongPassword_Is401WithProblemJson()
    {
        using var client = _factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", "wrong password!", null, null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Wrong user name or password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RepeatedFailures_LockTheAccountEvenForTheRightPassword()
    {
        using var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", $"guess-number-{i}", null, null));
        }

        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, null, null));

        Assert.Equal((HttpStatusCode)423, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithAnUnknownToken_Is401()
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wva_not-a-real-token");

        using var response = await client.GetAsync("/api/v1/vms");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithAHostToken_IsNotAUser()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node2");
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Token);

        using var response = await client.GetAsync("/api/v1/vms");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
