using Microsoft.AspNetCore.Mvc.Testing;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

public sealed class SecurityHeadersTests : IClassFixture<PanelFactory>
{
    private readonly PanelFactory _factory;

    public SecurityHeadersTests(PanelFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/")]
    [InlineData("/api/v1/vms")]
    [InlineData("/css/webvirt.css")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_CarriesTheHardeningHeaders_AndNoHstsOverHttp(string path)
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
        Assert.Equal("frame-ancestors 'self'", Header(response, "Content-Security-Policy"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task HttpsRequest_GetsHsts()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        using var response = await client.GetAsync("/account/login");

        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
