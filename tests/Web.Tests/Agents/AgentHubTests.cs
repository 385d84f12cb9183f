using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Agents;

public sealed class AgentHubTests : IDisposable
{
    private readonly PanelFactory _factory = new();

    [Fact]
    public async Task Connect_WrongToken_IsRefused()
    {
        await using var agent = new FakeAgent(_factory, "wvh_not-a-real-token");

        var error = await Assert.ThrowsAsync<HttpRequestException>(agent.ConnectAsync);

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task HostToken_InTheQueryString_IsRefused_InTheHeader_Accepted()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "query");
        using var client = _factory.CreateClient();

        using var inQuery = await client.PostAsync($"/hubs/agent/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(host.Token)}", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/agent/negotiate?negotiateVersion=1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.Token);
        using var inHeader = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, inQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inHeader.StatusCode);
    }

    [Fact]
    public async Task Register_ValidToken_RecordsTheHostsFacts()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        await using var agent = new FakeAgent(_factory, host.Token);
        await agent.ConnectAsync();

        var welcome = await agent.RegisterAsync();

        Assert.True(welcome.Accepted, welcome.Message);
        Assert.Equal(host.Id, welcome.HostId);
        var hosts = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/hosts")).RootElement;
        var node = hosts.EnumerateArray().Single(h => h.GetProperty("name").GetString() == "node1");
        Assert.True(node.GetProperty("connected").GetBoolean());
        Assert.Equal("Tcg", node.GetProperty("accelerator").GetString());
        Assert.Equal("fake-node", node.GetProperty("hostname").GetString());
    }

    [Fact]
    public async Task Register_OtherProtocolVersion_IsRefusedWithBothVersionsAndDisconnected()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "old-agent");
        await using var agent = new FakeAgent(_factory, host.Token);
        await agent.ConnectAsync();

        var welcome = await agent.RegisterAsync(protocolVersion: AgentProtocol.Version + 1);

        Assert.False(welcome.Accepted);
        Assert.Contains($"version {AgentProtocol.Version + 1} is not supported", welcome.Message, StringComparison.Ordinal);
        Assert.Contains($"speaks version {AgentProtocol.Version}", welcome.Message, StringComparison.Ordinal);
        await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Revoke_ConnectedHost_IsCutOffAtOnceAndCannotReconnect()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "revoked");
        await using var agent = new FakeAgent(_factory, host.Token);
        await agent.ConnectAsync();
        Assert.True((await agent.RegisterAsync()).Accepted);

        using var revoke = await admin.PostAsync($"/api/v1/hosts/{host.Id}/revoke", null);
        revoke.EnsureSuccessStatusCode();

        await agent.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await using var again = new FakeAgent(_factory, host.Token);
        var error = await Assert.ThrowsAsync<HttpRequestException>(again.ConnectAsync);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Revoke_TheLocalHost_IsRefusedWithTheSettingThatTurnsItsAgentOff()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var localId = Guid.NewGuid();
        await using (var db = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync())
        {
            db.Hosts.Add(new HostRecord { Id = localId, Name = "local", IsLocal = true, TokenHash = "" });
            await db.SaveChangesAsync();
        }

        using var revoke = await admin.PostAsync($"/api/v1/hosts/{localId}/revoke", null);

        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Contains("Agent:Embedded", await revoke.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var after = await _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>().CreateDbContextAsync();
        Assert.Null((await after.Hosts.SingleAsync(h => h.Id == localId)).RevokedAt);
    }

    [Fact]
    public async Task CreateVm_ThroughTheApi_IsDefinedOnTheAgentAndStored()
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "worker");
        await using var agent = new FakeAgent(_factory, host.Token);
        await agent.ConnectAsync();
        await agent.RegisterAsync();

        using var response = await admin.PostAsJsonAsync("/api/v1/vms", new { name = "web01", hostId = host.Id, memoryMiB = 512, disks = new[] { new { sizeMiB = 64 } } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var defined = Assert.Single(agent.Defined);
        Assert.Equal("web01", defined.Name);
        Assert.StartsWith(FakeAgent.Facts.ImagePool + "/", defined.Disks[0].Path, StringComparison.Ordinal);
        var vm = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/vms/{defined.Uuid}")).RootElement;
        Assert.Equal("Stopped", vm.GetProperty("state").GetString());

        using var duplicate = await admin.PostAsJsonAsync("/api/v1/vms", new { name = "web01", hostId = host.Id });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("already exists", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(agent.Defined);
    }

    public void Dispose() => _factory.Dispose();
}
