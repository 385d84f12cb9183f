using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Components.Account;

/// <summary>Each test has a panel of its own: lockouts and password changes must not leak into other tests.</summary>
public sealed partial class PasswordFlowTests
{
    private const string InitialPassword = "initial-password-42";
    private const string NewPassword = "a-much-better-passphrase";

    [Fact]
    public async Task SignIn_AfterFiveFailures_ReportsTheLockout()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var failed = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "admin", ["Password"] = "wrong-" + attempt });
        }

        using var response = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "admin", ["Password"] = PanelFactory.AdminPassword });
        Assert.Contains("error=locked", response.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("locked", page);
    }

    [Fact]
    public async Task SignIn_MustChangePassword_GoesToTheFormAndTheChangeClearsTheFlag()
    {
        using var factory = new PanelFactory();
        using var client = NoRedirects(factory);
        using (var ready = await client.GetAsync("/account/login"))
        {
            ready.EnsureSuccessStatusCode();
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
            var result = await users.CreateAsync(new WebVirtUser { UserName = "alice", MustChangePassword = true }, InitialPassword);
            Assert.True(result.Succeeded);
        }

        using var signIn = await PostFormAsync(client, "/account/login", "/account/login", new() { ["UserName"] = "alice", ["Password"] = InitialPassword, ["ReturnUrl"] = "/" });
        Assert.Equal("/account/change-password?returnUrl=%2F", signIn.Headers.Location!.OriginalString);

        using var change = await PostFormAsync(client, "/account/change-password?returnUrl=%2F", "/account/change-password?returnUrl=%2F",
            new() { ["CurrentPassword"] = InitialPassword, ["NewPassword"] = NewPassword, ["ConfirmPassword"] = NewPassword });
        Assert.Equal("/", change.Headers.Location!.OriginalString);

        await using var check = factory.Services.CreateAsyncScope();
        var alice = await check.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>().FindByNameAsync("alice");
        Assert.False(alice!.MustChangePassword);
    }

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
}
