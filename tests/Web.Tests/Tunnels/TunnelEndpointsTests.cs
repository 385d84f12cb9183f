using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Tunnels;

namespace WebVirt.Web.Tests.Tunnels;

/// <summary>The tunnel endpoint on a real Kestrel socket, where a connection's end takes its request with it.</summary>
public sealed class TunnelEndpointsTests : IDisposable
{
    private readonly TunnelRequestProbe _probe = new();
    private readonly PanelFactory _factory;

    public TunnelEndpointsTests()
    {
        _factory = new PanelFactory { TestServices = services => services.AddSingleton<IStartupFilter>(_probe) };
        _factory.UseKestrel(0);
        _factory.StartServer();
    }

    private Uri Address => new(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private TunnelBroker Broker => _factory.Services.GetRequiredService<TunnelBroker>();

    [Fact]
    public async Task AgentAnswersAndHangsUpAtOnce_TheOpenerStillReadsTheAnswer()
    {
        // What the agent's upload endpoint does after each chunk: one text message (the result), its close, and the
        // connection dropped right after. The panel code reading that answer may be late when the machine is busy.
        var hungUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var admin = await PanelClients.AdminAsync(_factory);
        var host = await PanelClients.CreateHostAsync(admin, "node1");
        await using var agent = new FakeAgent(Address, host.Token);
        agent.OnOpenTunnel(async request =>
        {
            var socket = await DialAsync(request.TunnelId, host.Token);
            _ = Task.Run(async () =>
            {
                try
                {
                    await socket.SendAsync("the answer"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                }
                finally
                {
                    socket.Dispose();
                    hungUp.TrySetResult();
                }
            });
            return AgentReply.Success();
        });
        await agent.ConnectAsync();
        Assert.True((await agent.RegisterAsync()).Accepted);

        var tunnel = await Broker.OpenAsync(host.Id, "node1", UploadRequest(), CancellationToken.None);
        await hungUp.Task;

        // Kestrel ends a request whose connection closed at once; give it that time before reading.
        var endedBeforeRead = await Task.WhenAny(_probe.Ended, Task.Delay(TimeSpan.FromSeconds(5))) == _probe.Ended;
        Assert.False(endedBeforeRead, "The tunnel's request ended with the agent's connection, before the panel code had read what the agent sent.");
        var buffer = new byte[64];
        var received = await tunnel.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal("the answer", Encoding.UTF8.GetString(buffer, 0, received.Count));
        Assert.Equal(WebSocketMessageType.Close, (await tunnel.ReceiveAsync(buffer, CancellationToken.None)).MessageType);

        tunnel.Dispose();
        await _probe.Ended.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _factory.Dispose();

    private static TunnelRequest UploadRequest() =>
        new() { TunnelId = Guid.Empty, Kind = TunnelKind.Upload, Upload = new UploadTarget("/pool", "a.iso", 0, 1, 1) };

    private async Task<WebSocket> DialAsync(Guid tunnelId, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        var address = new UriBuilder(Address) { Scheme = "ws", Path = $"{AgentProtocol.TunnelPath}/{tunnelId:N}" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        return socket;
    }
}
