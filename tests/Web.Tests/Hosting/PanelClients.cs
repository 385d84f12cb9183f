using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.Web.Api;
using WebVirt.Web.Auth;

namespace WebVirt.Web.Tests.Hosting;

internal static class PanelClients
{
    /// <summary>An HTTP client signed in as the first administrator through an API token.</summary>
    public static async Task<HttpClient> AdminAsync(PanelFactory factory)
    {
        var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/tokens", new TokenRequest("admin", PanelFactory.AdminPassword, "tests", null));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates a host through the API and returns its id and agent token.</summary>
    public static async Task<CreateHostResponse> CreateHostAsync(HttpClient admin, string name)
    {
        using var response = await admin.PostAsJsonAsync("/api/v1/hosts", new CreateHostRequest(name));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreateHostResponse>())!;
    }

    /// <summary>Creates a VM through <c>POST /api/v1/vms</c> with <paramref name="request"/> as its body and returns its id.</summary>
    public static async Task<Guid> CreateVmAsync(HttpClient admin, object request)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/vms", request);
        created.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
    }
}
