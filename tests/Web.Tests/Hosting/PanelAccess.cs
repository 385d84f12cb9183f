using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Auth;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions.Administration;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Hosting;

/// <summary>Sets up users, pools and ACL entries in a running panel through its own <see cref="AccessAdministration"/>, acting as the first administrator.</summary>
internal static class PanelAccess
{
    public const string UserPassword = "users-password-1234";

    public static async Task<ClaimsPrincipal> AdminPrincipalAsync(PanelFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>();
        var admin = await users.FindByNameAsync(AdminBootstrap.AdminUserName);
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, admin!.Id), new Claim(ClaimTypes.Name, admin.UserName!)], "test"));
    }

    /// <summary>Runs <paramref name="change"/> as the administrator and fails the test with its message unless it succeeded.</summary>
    public static async Task<OperationResult> AsAdminAsync(PanelFactory factory, Func<AccessAdministration, ClaimsPrincipal, Task<OperationResult>> change, bool mustSucceed = true)
    {
        var admin = await AdminPrincipalAsync(factory);
        using var scope = factory.Services.CreateScope();
        var result = await change(scope.ServiceProvider.GetRequiredService<AccessAdministration>(), admin);
        Assert.True(!mustSucceed || result.Succeeded, result.Message);
        return result;
    }

    /// <summary>Creates a user and returns its id.</summary>
    public static async Task<string> CreateUserAsync(PanelFactory factory, string userName)
    {
        await AsAdminAsync(factory, (access, admin) => access.CreateUserAsync(admin, userName, null, UserPassword, mustChangePassword: false));
        using var scope = factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<WebVirtUser>>().FindByNameAsync(userName))!.Id;
    }

    /// <summary>An HTTP client with an API token of <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> ClientAsync(PanelFactory factory, string userName)
    {
        var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest(userName, UserPassword, "tests", null));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
