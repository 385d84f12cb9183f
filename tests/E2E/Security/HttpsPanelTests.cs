using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// The panel over HTTPS as a first start sets it up: a self-signed certificate made in its data folder, which its own
/// embedded agent pins, a __Host- Secure cookie, HSTS, and no trust from a client that was not told the fingerprint.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed partial class HttpsPanelTests : IAsyncLifetime
{
    private readonly TestCluster _cluster = new(https: true);

    public async Task InitializeAsync() => await _cluster.StartEmbeddedPanelAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task FirstStart_MakesACertificate_TheEmbeddedAgentPinsIt_AndTheSessionCookieIsHostOnlySecure()
    {
        // StartEmbeddedPanelAsync returned: the embedded agent dialed https://127.0.0.1 and trusted the new certificate.
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_cluster.PanelCertificatePath));
        Assert.Equal(certificate.SubjectName.Name, certificate.IssuerName.Name);
        Assert.Contains("127.0.0.1", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()));
        var keyPath = Path.Combine(Path.GetDirectoryName(_cluster.PanelCertificatePath)!, "panel.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(keyPath)!));

        using var page = await _cluster.Api.GetAsync("/account/login");
        Assert.True(page.Headers.Contains("Strict-Transport-Security"), "HSTS over HTTPS");

        // A client that trusts only the system's roots refuses the self-signed certificate.
        using (var untrusting = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(_cluster.PanelUrl + "/account/login"));
        }

        var cookie = await SignInCookieAsync();
        Assert.StartsWith("__Host-webvirt=", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> SignInCookieAsync()
    {
        var handler = _cluster.TrustingHandler();
        handler.UseCookies = false;
        handler.AllowAutoRedirect = false;
        using var client = new HttpClient(handler) { BaseAddress = new Uri(_cluster.PanelUrl) };
        using var form = await client.GetAsync("/account/login");
        var antiforgeryCookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));
        var token = AntiforgeryToken().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["UserName"] = "admin",
                ["Password"] = TestCluster.AdminPassword,
                ["ReturnUrl"] = "/",
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        request.Headers.Add("Origin", _cluster.PanelUrl);
        using var response = await client.SendAsync(request);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.Contains("webvirt=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
