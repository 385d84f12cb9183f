using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.TestSupport;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Account;

/// <summary>
/// The sign-in endpoints with two-factor on, through real HTTP against the real panel: each test has a panel
/// of its own, because lockouts and used recovery codes must not leak into other tests.
/// </summary>
public sealed partial class TwoFactorSignInTests
{
    private const string Password = "bob-has-a-long-passphrase";

    [Fact]
    public async Task SignIn_TwoFactorUser_AsksForTheCodeAndTheCodeSignsIn()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        var (key, _) = await CreateTwoFactorUserAsync(factory, client);

        using var first = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "bob", ["Password"] = Password, ["ReturnUrl"] = "/vms/new" });
        Assert.Equal("/account/login-2fa?returnUrl=%2Fvms%2Fnew", first.Headers.Location!.OriginalString);
        Assert.DoesNotContain(Cookies(first), c => c.StartsWith("webvirt=", StringComparison.Ordinal));

        using var second = await PostFormAsync(client, "/account/login-2fa", "/account/login-2fa",
            new() { ["Code"] = Spaced(Totp.Code(key)), ["UseRecoveryCode"] = "false", ["ReturnUrl"] = "/vms/new" });
        Assert.Equal("/vms/new", second.Headers.Location!.OriginalString);
        Assert.Contains(Cookies(second), c => c.StartsWith("webvirt=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_RecoveryCode_WorksOnceOnly()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        var (_, recoveryCodes) = await CreateTwoFactorUserAsync(factory, client);

        await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "bob", ["Password"] = Password });
        using var used = await PostFormAsync(client, "/account/login-2fa", "/account/login-2fa",
            new() { ["Code"] = recoveryCodes[3].ToLowerInvariant(), ["UseRecoveryCode"] = "true" });
        Assert.Equal("/", used.Headers.Location!.OriginalString);

        using var other = NoRedirects(factory);
        await PostFormAsync(other, "/account/login", "/account/login", new() { ["UserName"] = "bob", ["Password"] = Password });
        using var again = await PostFormAsync(other, "/account/login-2fa", "/account/login-2fa",
            new() { ["Code"] = recoveryCodes[3], ["UseRecoveryCode"] = "true" });
        Assert.StartsWith("/account/login-2fa?", again.Headers.Location!.OriginalString);
        Assert.Contains("error=invalid", again.Headers.Location.OriginalString);
        Assert.DoesNotContain(Cookies(again), c => c.StartsWith("webvirt=", StringComparison.Ordinal));

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        Assert.Equal(9, await users.CountRecoveryCodesAsync((await users.FindByNameAsync("bob"))!));
    }

    [Fact]
    public async Task SignIn_FiveWrongCodes_LockTheAccount()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        var (key, _) = await CreateTwoFactorUserAsync(factory, client);
        var wrong = Totp.Code(key) == "000000" ? "111111" : "000000";

        await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "bob", ["Password"] = Password });
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            last?.Dispose();
            last = await PostFormAsync(client, "/account/login-2fa", "/account/login-2fa", new() { ["Code"] = wrong, ["UseRecoveryCode"] = "false" });
        }

        Assert.Contains("error=locked", last!.Headers.Location!.OriginalString);
        Assert.Matches("until=[0-9]+", last.Headers.Location.OriginalString);
        last.Dispose();

        // Locked: even the right password and code are refused now.
        using var retry = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "bob", ["Password"] = Password });
        Assert.Contains("error=locked", retry.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync(retry.Headers.Location);
        Assert.Contains("is locked", page);
        Assert.Contains("UTC", page);
    }

    [Fact]
    public async Task SignIn_UnknownUser_IsAnsweredLikeAnExistingOne()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        var known = new List<string>();
        var unknown = new List<string>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var real = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "admin", ["Password"] = "wrong-" + attempt });
            known.Add(ErrorOf(real));
            using var madeUp = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "no-such-user", ["Password"] = "wrong-" + attempt });
            unknown.Add(ErrorOf(madeUp));
        }

        Assert.Equal(["invalid", "invalid", "invalid", "invalid", "locked", "locked"], known);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task ApiToken_TwoFactorUser_NeedsTheCode()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        var (key, _) = await CreateTwoFactorUserAsync(factory, client);

        using var withoutCode = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("bob", Password, "t", null));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Contains("twoFactorCode", await withoutCode.Content.ReadAsStringAsync());

        using var withCode = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("bob", Password, "t", null, Totp.Code(key)));
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }

    /// <summary>Bob, with an authenticator key (enrolled the way the security page does) and 10 recovery codes.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> CreateTwoFactorUserAsync(PanelFactory factory, HttpClient client)
    {
        using (var ready = await client.GetAsync("/account/login"))
        {
            ready.EnsureSuccessStatusCode();
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        var bob = new WebVirtUser { UserName = "bob" };
        Assert.True((await users.CreateAsync(bob, Password)).Succeeded);
        await users.ResetAuthenticatorKeyAsync(bob);
        var key = (await users.GetAuthenticatorKeyAsync(bob))!;
        Assert.True(await users.VerifyTwoFactorTokenAsync(bob, users.Options.Tokens.AuthenticatorTokenProvider, Totp.Code(key)), "the test's TOTP must agree with Identity's");
        await users.SetTwoFactorEnabledAsync(bob, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(bob, 10))!.ToList();
        return (key, codes);
    }

    private static string Spaced(string code) => $"{code[..3]} {code[3..]}";

    private static string ErrorOf(HttpResponseMessage response) =>
        ErrorParameter().Match(response.Headers.Location!.OriginalString).Groups[1].Value;

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static HttpClient NoRedirects(PanelFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(formPage);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(form).Groups[1].Value;
        var response = await client.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("error=([a-z]+)")]
    private static partial Regex ErrorParameter();
}
