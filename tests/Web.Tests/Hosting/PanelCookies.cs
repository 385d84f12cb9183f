using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WebVirt.Web.Tests.Hosting;

/// <summary>Browser sign-in through the real form, for tests of what the cookie may do.</summary>
internal static partial class PanelCookies
{
    /// <summary>Signs in and returns the auth cookie as a <c>Cookie</c> header value ("webvirt=…").</summary>
    public static async Task<string> SignInAsync(WebApplicationFactory<Program> factory, string userName, string password)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["UserName"] = userName,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("webvirt=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
