using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// The checks of routes that are not a plain request with a token or a cookie: deliberately anonymous routes (what
/// protects them instead), WebSockets (an upgrade refused or accepted) and the host-token routes of agents.
/// </summary>
internal static class SpecialRouteChecks
{
    private static readonly Dictionary<string, Func<AuthorizationPanel, RouteEntry, Task<List<string>>>> Checks = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/auth/tokens"] = TokenSignInAsync,
        ["GET /account/login"] = AnonymousPageAsync,
        ["GET /account/login-2fa"] = AnonymousPageAsync,
        ["GET /account/access-denied"] = AnonymousPageAsync,
        ["GET /share/{Token}"] = AnonymousPageAsync,
        ["POST /account/login"] = AnonymousFormAsync,
        ["POST /account/login-2fa"] = AnonymousFormAsync,
        ["POST /account/access-denied"] = AnonymousFormAsync,
        ["POST /share/{Token}"] = AnonymousFormAsync,
        ["POST /account/logout"] = LogoutAsync,
        ["* /console/{vmId:guid}/{kind}"] = ConsoleAsync,
        ["* /share/{token}/vnc"] = ShareSocketAsync,
        ["* /hubs/agent"] = HostTokenOnlyAsync,
        ["* /hubs/agent/negotiate"] = HostTokenOnlyAsync,
        ["* /agent/tunnels/{tunnelId:guid}"] = HostTokenOnlyAsync,
        ["* /_blazor"] = CircuitHubAsync,
        ["* /_blazor/negotiate"] = CircuitHubAsync,
        ["* /_blazor/disconnect/"] = CircuitHubAsync,
        ["* /_blazor/initializers/"] = CircuitHubAsync,
        ["GET /_framework/opaque-redirect"] = OpaqueRedirectAsync,
    };

    public static bool Has(string key) => Checks.ContainsKey(key);

    public static Task<List<string>> RunAsync(AuthorizationPanel panel, RouteEntry entry) => Checks[entry.Key](panel, entry);

    /// <summary>Anyone may ask for a token, but only with the account's password: a wrong one gets 401 and no token.</summary>
    private static async Task<List<string>> TokenSignInAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        var before = await panel.FingerprintAsync();
        using var request = Json(entry, """{"userName":"auditor","password":"not-the-password","name":"x","expiresInDays":null}""");
        using var response = await panel.SendAsync(request, Identity.Anonymous, token: false);
        Expect(found, entry, "anonymous with a wrong password", HttpStatusCode.Unauthorized, response);
        if (await panel.FingerprintAsync() != before)
        {
            found.Add($"{entry.Key}: a wrong password changed state (a token was issued?)");
        }

        return found;
    }

    /// <summary>Sign-in and share pages open for anyone and show nothing of the inventory.</summary>
    private static async Task<List<string>> AnonymousPageAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, panel.Fill(entry.Path));
        using var response = await panel.SendAsync(request, Identity.Anonymous, token: false);
        Expect(found, entry, "anonymous", HttpStatusCode.OK, response);
        NoSignIn(found, entry, response);
        if ((await response.Content.ReadAsStringAsync()).Contains(AuthorizationPanel.TargetName, StringComparison.Ordinal))
        {
            found.Add($"{entry.Key} as anonymous: the page shows the target VM's name");
        }

        return found;
    }

    /// <summary>An anonymous form post without its antiforgery token signs no one in and changes nothing.</summary>
    private static async Task<List<string>> AnonymousFormAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        var before = await panel.FingerprintAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, panel.Fill(entry.Path))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "guess", ["Code"] = "000000" }),
        };
        using var response = await panel.SendAsync(request, Identity.Anonymous, token: false);
        if (response.IsSuccessStatusCode || (int)response.StatusCode >= 500)
        {
            found.Add($"{entry.Key} as anonymous without an antiforgery token: expected a refusal, got {(int)response.StatusCode}");
        }

        NoSignIn(found, entry, response);
        if (await panel.FingerprintAsync() != before)
        {
            found.Add($"{entry.Key} as anonymous: state changed");
        }

        return found;
    }

    /// <summary>
    /// Signing out answers anonymous with the sign-in challenge (a redirect carrying a returnUrl) and a signed-in user
    /// with a plain redirect to the sign-in page that clears the cookie; a session of its own is ended, not the test's.
    /// </summary>
    private static async Task<List<string>> LogoutAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        using (var anonymous = new HttpRequestMessage(HttpMethod.Post, entry.Path))
        using (var response = await panel.SendAsync(anonymous, Identity.Anonymous, token: false))
        {
            if (RouteOutcomes.Of(response) is not Outcome.SignIn || response.Headers.Location?.OriginalString.Contains("returnUrl=", StringComparison.Ordinal) != true)
            {
                found.Add($"{entry.Key} as anonymous: expected the sign-in challenge, got {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        var session = await PanelCookies.SignInAsync(panel.Factory, "auditor", PanelAccess.UserPassword);
        using var signedIn = new HttpRequestMessage(HttpMethod.Post, entry.Path);
        signedIn.Headers.Add("Cookie", session);
        using var browser = panel.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var signedOut = await browser.SendAsync(signedIn);
        var cleared = signedOut.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("webvirt=;", StringComparison.Ordinal));
        if (signedOut.Headers.Location?.OriginalString != "/account/login" || !cleared)
        {
            found.Add($"{entry.Key} as a signed-in Auditor: expected a redirect to /account/login clearing the cookie, got {(int)signedOut.StatusCode} {signedOut.Headers.Location}");
        }

        return found;
    }

    /// <summary>A console needs the cookie and a ticket: anonymous gets 401, signed-in users without a ticket 403.</summary>
    private static async Task<List<string>> ConsoleAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        // The ticketed upgrade that succeeds is tested end to end in ConsoleEndpointsTests.
        var found = new List<string>();
        foreach (var identity in new[] { Identity.Anonymous, Identity.Auditor, Identity.OtherPool, Identity.Owner })
        {
            var expected = identity is Identity.Anonymous ? 401 : 403;
            var status = await panel.RefusedUpgradeAsync(entry.Path, identity);
            if (status != expected)
            {
                found.Add($"{entry.Key} as {identity} without a ticket: expected {expected}, got {status?.ToString() ?? "an open socket"}");
            }
        }

        return found;
    }

    /// <summary>A share socket's token is its credential: an unknown one is refused to everyone, signed in or not.</summary>
    private static async Task<List<string>> ShareSocketAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        foreach (var identity in new[] { Identity.Anonymous, Identity.Auditor, Identity.Owner })
        {
            var status = await panel.RefusedUpgradeAsync(entry.Path, identity);
            if (status != 403)
            {
                found.Add($"{entry.Key} as {identity} with an unknown token: expected 403, got {status?.ToString() ?? "an open socket"}");
            }
        }

        return found;
    }

    /// <summary>The agent hub and tunnels take host tokens only: no cookie and no user's API token gets in.</summary>
    private static async Task<List<string>> HostTokenOnlyAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        var method = entry.Key.EndsWith("/negotiate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        foreach (var (identity, token) in new[] { (Identity.Anonymous, false), (Identity.Auditor, true), (Identity.Owner, true), (Identity.Admin, true), (Identity.Admin, false), (Identity.Owner, false) })
        {
            using var request = new HttpRequestMessage(method, panel.Fill(entry.Path));
            using var response = await panel.SendAsync(request, identity, token);
            Expect(found, entry, $"{identity} with {(token ? "an API token" : "a cookie")}", HttpStatusCode.Unauthorized, response);
        }

        if (!entry.Key.EndsWith("/negotiate", StringComparison.Ordinal))
        {
            var status = await panel.RefusedUpgradeAsync(entry.Path, Identity.Admin, panel.Token(Identity.Admin));
            if (status != 401)
            {
                found.Add($"{entry.Key}: a WebSocket with the administrator's cookie and API token: expected 401, got {status?.ToString() ?? "an open socket"}");
            }
        }

        return found;
    }

    /// <summary>
    /// Blazor's circuit hub is anonymous by design (the sign-in page runs in it too): the components in a circuit
    /// authorize themselves, which the page and UI-operation entries test. Here: it answers without an error and
    /// issues no sign-in.
    /// </summary>
    private static async Task<List<string>> CircuitHubAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        var method = entry.Key.EndsWith("/negotiate", StringComparison.Ordinal) || entry.Key.EndsWith("/disconnect/", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        using var request = new HttpRequestMessage(method, panel.Fill(entry.Path));
        using var response = await panel.SendAsync(request, Identity.Anonymous, token: false);
        if ((int)response.StatusCode >= 500)
        {
            found.Add($"{entry.Key} as anonymous: {(int)response.StatusCode}");
        }

        NoSignIn(found, entry, response);
        return found;
    }

    /// <summary>Blazor's redirect endpoint follows only URLs the panel protected itself: a forged one goes nowhere.</summary>
    private static async Task<List<string>> OpaqueRedirectAsync(AuthorizationPanel panel, RouteEntry entry)
    {
        var found = new List<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, panel.Fill(entry.Path));
        using var response = await panel.SendAsync(request, Identity.Anonymous, token: false);
        if (response.Headers.Location?.OriginalString.Contains("evil.example", StringComparison.Ordinal) == true || response.IsSuccessStatusCode)
        {
            found.Add($"{entry.Key} as anonymous with a forged URL: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return found;
    }

    private static HttpRequestMessage Json(RouteEntry entry, string body) =>
        new(new HttpMethod(entry.Method), entry.Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static void Expect(List<string> found, RouteEntry entry, string who, HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            found.Add($"{entry.Key} as {who}: expected {(int)expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    private static void NoSignIn(List<string> found, RouteEntry entry, HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("webvirt=", StringComparison.Ordinal) && !c.StartsWith("webvirt=;", StringComparison.Ordinal)))
        {
            found.Add($"{entry.Key} as anonymous: the answer signs someone in");
        }
    }
}
