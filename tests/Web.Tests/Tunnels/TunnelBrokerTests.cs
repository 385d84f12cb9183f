using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Tests.Inventory;
using WebVirt.Web.Tunnels;

namespace WebVirt.Web.Tests.Tunnels;

public sealed class TunnelBrokerTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly PanelFactory _factory;
    private string? _otherToken;

    public TunnelBrokerTests() => _factory = new PanelFactory { Clock = _clock };

    private TunnelBroker Broker => _factory.Services.GetRequiredService<TunnelBroker>();

    [Fact]
    public async Task Open_AgentDialsBack_BytesFlowBothWays()
    {
        var (host, agent) = await StartAgentAsync("node1");
        await using var _ = agent;

        using var socket = await Broker.OpenAsync(host.Id, "node1", VncRequest(), CancellationToken.None);
        await socket.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[64];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(buffer, 0, result.Count));
        var request = Assert.Single(agent.Requests);
        Assert.Equal(TunnelKind.Vnc, request.Kind);
        Assert.NotEqual(Guid.Empty, request.TunnelId);
    }

    [Fact]
    public async Task Dial_UnknownTunnelId_IsRefusedBeforeUpgrade()
    {
        var (host, agent) = await StartAgentAsync("node1");
        await using var _ = agent;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TunnelAgent.DialAsync(_factory, Guid.NewGuid(), host.Token));

        Assert.Contains("404", error.Message);
    }

    [Fact]
    public async Task Dial_WithoutAValidHostToken_IsRefusedAndDoesNotSpendTheId()
    {
        var (host, agent) = await StartAgentAsync("node1");
        await using var _ = agent;
        agent.BeforeDial = request => Assert.ThrowsAsync<InvalidOperationException>(() => TunnelAgent.DialAsync(_factory, request.TunnelId, "wvh_not-a-token"));

        using var socket = await Broker.OpenAsync(host.Id, "node1", VncRequest(), CancellationToken.None);

        Assert.Equal(1, agent.Connected);
    }

    [Fact]
    public async Task Dial_ReusedTunnelId_IsRefused()
    {
        var (host, agent) = await StartAgentAsync("node1");
        await using var _ = agent;
        agent.DialTwice = true;

        using var socket = await Broker.OpenAsync(host.Id, "node1", VncRequest(), CancellationToken.None);

        Assert.Equal(1, agent.Connected);
        Assert.Contains("404", Assert.Single(agent.Refusals));
    }

    [Fact]
    public async Task Dial_ByAnotherHost_IsRefusedAndTheOpenerHearsWhy()
    {
        var (host, agent) = await StartAgentAsync("node1", otherHost: "node2");
        await using var _ = agent;
        agent.DialToken = _otherToken!;

        var error = await Assert.ThrowsAsync<TunnelException>(() => Broker.OpenAsync(host.Id, "node1", VncRequest(), CancellationToken.None));

        Assert.Equal(0, agent.Connected);
        Assert.Equal(0, agent.Relayed);
        Assert.Contains("404", Assert.Single(agent.Refusals));
        Assert.Contains("404", error.Message);
    }

    [Fact]
    public async Task Dial_AfterTheIdExpired_IsRefused()
    {
        var (host, agent) = await StartAgentAsync("node1");
        await using var _ = agent;
        agent.BeforeDial = _ =>
        {
            _clock.Advance(TunnelBroker.DialWindow + TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<TunnelException>(() => Broker.OpenAsync(host.Id, "node1", VncRequest(), CancellationToken.None));

        Assert.Equal(0, agent.Connected);
        Assert.Contains("404", Assert.Single(agent.Refusals));
        Assert.True(error.IsTransient, "A host that dialed too late may well make it the next time: the opener can try again.");
    }

    public void Dispose() => _factory.Dispose();

    private static TunnelRequest VncRequest() => new() { TunnelId = Guid.Empty, Kind = TunnelKind.Vnc, VmId = Guid.NewGuid() };

    private async Task<(WebVirt.Web.Api.CreateHostResponse Host, TunnelAgent Agent)> StartAgentAsync(string name, string? otherHost = null)
    {
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, name);
        if (otherHost is not null)
        {
            _otherToken = (await PanelClients.CreateHostAsync(admin, otherHost)).Token;
        }

        return (host, await TunnelAgent.StartAsync(_factory, host.Token));
    }
}
