using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Connection;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tests.Tunnels;

public sealed class TunnelDialerTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8006", "ws://127.0.0.1:8006/agent/tunnels/")]
    [InlineData("https://panel.example.com/", "wss://panel.example.com/agent/tunnels/")]
    [InlineData("https://panel.example.com/webvirt", "wss://panel.example.com/webvirt/agent/tunnels/")]
    public void TunnelAddress_FollowsThePanelUrl(string panelUrl, string expectedPrefix)
    {
        var id = Guid.NewGuid();

        Assert.Equal(expectedPrefix + id.ToString("N"), TunnelDialer.TunnelAddress(panelUrl, id).ToString());
    }

    [Theory]
    [InlineData(TunnelKind.Vnc)]
    [InlineData(TunnelKind.Serial)]
    public async Task Open_VmNotOnThisHost_IsRefusedWithoutDialing(TunnelKind kind)
    {
        await using var folders = new AgentTestFolders();
        var host = await folders.StartHostAsync();
        var dials = 0;
        var connection = new PanelConnectionOptions
        {
            ConnectTunnel = (_, _, _) =>
            {
                Interlocked.Increment(ref dials);
                throw new InvalidOperationException("must not dial");
            },
        };
        ITunnelEndpoint[] endpoints =
        [
            new VncTunnelEndpoint(new ConsoleLocator(host.Registry), NullLogger<VncTunnelEndpoint>.Instance),
            new SerialTunnelEndpoint(new ConsoleLocator(host.Registry), new SerialConsoles(NullLoggerFactory.Instance)),
        ];
        await using var dialer = new TunnelDialer(endpoints, Options.Create(new AgentOptions { PanelUrl = "http://127.0.0.1:1" }), Options.Create(connection), NullLogger<TunnelDialer>.Instance);

        var reply = await dialer.OpenAsync(new TunnelRequest { TunnelId = Guid.NewGuid(), Kind = kind, VmId = Guid.NewGuid() });

        Assert.False(reply.Ok);
        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains("There is no VM", reply.Error, StringComparison.Ordinal);
        Assert.Equal(0, dials);
    }

    [Fact]
    public async Task EndpointAnswersAndCloses_ConnectionStaysUntilThePanelClosesToo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await listener.AcceptTcpClientAsync();
        using var panel = WebSocket.CreateFromStream(accepted.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var agentSide = new DisposeWatchingWebSocket(WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan));
        var connection = new PanelConnectionOptions { ConnectTunnel = (_, _, _) => Task.FromResult<WebSocket>(agentSide) };
        await using var dialer = new TunnelDialer([new AnsweringEndpoint("the answer")], Options.Create(new AgentOptions { PanelUrl = "http://127.0.0.1:1" }), Options.Create(connection), NullLogger<TunnelDialer>.Instance);

        Assert.True((await dialer.OpenAsync(new TunnelRequest { TunnelId = Guid.NewGuid(), Kind = TunnelKind.Upload })).Ok);
        var buffer = new byte[64];
        var answer = await panel.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("the answer", Encoding.UTF8.GetString(buffer, 0, answer.Count));
        Assert.Equal(WebSocketMessageType.Close, (await panel.ReceiveAsync(buffer, CancellationToken.None)).MessageType);

        // A busy panel closes late: the agent must not have dropped the connection meanwhile.
        var droppedEarly = await Task.WhenAny(agentSide.Disposed, Task.Delay(TimeSpan.FromSeconds(2))) == agentSide.Disposed;
        Assert.False(droppedEarly, "The agent dropped the tunnel's connection right after its close, before the panel was done reading.");
        await panel.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await agentSide.Disposed.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
