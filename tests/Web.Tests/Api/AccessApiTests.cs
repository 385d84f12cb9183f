using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Api;

/// <summary>/api/v1/access: the same changes as the admin pages, for scripts, with the same checks.</summary>
public sealed class AccessApiTests : IDisposable
{
    private readonly PanelFactory _factory = new();

    [Fact]
    public async Task Admin_GrantsThroughAGroup_TheMemberCanReadButNotChangeAccess()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        using (var created = await admin.PostAsJsonAsync("/api/v1/access/users", new { userName = "carol", password = PanelAccess.UserPassword, mustChangePassword = false }))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var users = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/access/users")).RootElement;
        var carol = users.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "carol").GetProperty("id").GetString();
        (await admin.PostAsJsonAsync("/api/v1/access/groups", new { name = "auditors" })).EnsureSuccessStatusCode();
        var groups = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/access/groups")).RootElement;
        var groupId = groups.EnumerateArray().Single().GetProperty("id").GetGuid();
        (await admin.PutAsync($"/api/v1/access/groups/{groupId}/members/{carol}", null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/access/acl", new { path = "/", groupId, role = BuiltInRoles.Auditor })).EnsureSuccessStatusCode();

        using var client = await PanelAccess.ClientAsync(_factory, "carol");
        var acl = JsonDocument.Parse(await client.GetStringAsync("/api/v1/access/acl")).RootElement;
        Assert.Equal(2, acl.GetArrayLength());
        using var escalate = await client.PostAsJsonAsync("/api/v1/access/acl", new { path = "/", userId = carol, role = BuiltInRoles.Administrator });
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await admin.GetStringAsync("/api/v1/access/acl")).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task AddAclEntry_UnknownPath_Is400WithTheValidForms()
    {
        using var admin = await PanelClients.AdminAsync(_factory);

        using var response = await admin.PostAsJsonAsync("/api/v1/access/acl", new { path = "/datacenter", groupId = Guid.NewGuid(), role = "Auditor" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("/pools/{name}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableEnableAndPasswordReset_DoWhatTheUsersPageDoes_WithItsChecks()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var erin = await PanelAccess.CreateUserAsync(_factory, "erin");
        var frank = await PanelAccess.CreateUserAsync(_factory, "frank");
        using var erinToken = await PanelAccess.ClientAsync(_factory, "erin");
        using var frankToken = await PanelAccess.ClientAsync(_factory, "frank");

        using (var byFrank = await frankToken.PostAsync($"/api/v1/access/users/{erin}/disable", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byFrank.StatusCode);
            Assert.Contains(Privileges.PermissionsModify, await byFrank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await admin.PostAsync($"/api/v1/access/users/{erin}/disable", null)).EnsureSuccessStatusCode();
        Assert.True(await DisabledAsync(admin, erin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await erinToken.GetAsync("/api/v1/access/users")).StatusCode);
        (await admin.PostAsync($"/api/v1/access/users/{erin}/enable", null)).EnsureSuccessStatusCode();
        Assert.False(await DisabledAsync(admin, erin));

        using (var tooShort = await admin.PostAsJsonAsync($"/api/v1/access/users/{frank}/password", new { password = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            Assert.Contains("password", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.NotEqual(HttpStatusCode.Unauthorized, (await frankToken.GetAsync("/api/v1/access/users")).StatusCode);
        (await admin.PostAsJsonAsync($"/api/v1/access/users/{frank}/password", new { password = "a-brand-new-password-77" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await frankToken.GetAsync("/api/v1/access/users")).StatusCode);
        var users = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/access/users")).RootElement;
        Assert.True(users.EnumerateArray().Single(u => u.GetProperty("id").GetString() == frank).GetProperty("mustChangePassword").GetBoolean());

        using var unknown = await admin.PostAsync("/api/v1/access/users/no-such-user/disable", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<bool> DisabledAsync(HttpClient admin, string userId) =>
        JsonDocument.Parse(await admin.GetStringAsync("/api/v1/access/users")).RootElement
            .EnumerateArray().Single(u => u.GetProperty("id").GetString() == userId).GetProperty("disabled").GetBoolean();

    [Fact]
    public async Task WithoutSysAudit_ReadingAccessIs403()
    {
        await PanelAccess.CreateUserAsync(_factory, "dave");
        using var client = await PanelAccess.ClientAsync(_factory, "dave");

        using var response = await client.GetAsync("/api/v1/access/users");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}
