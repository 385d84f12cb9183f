using System.Net.WebSockets;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Tests.Agents;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Tunnels;

/// <summary>
/// A registered stand-in agent whose tunnels echo: it answers OpenTunnel by dialing the panel's tunnel
/// endpoint in memory, like the real agent, and sends back whatever arrives. Counts what got through.
/// </summary>
internal sealed class TunnelAgent : IAsyncDisposable
{
    private readonly PanelFactory _factory;
    private readonly FakeAgent _agent;
    private long _relayed;
    private int _connected;

    private TunnelAgent(PanelFactory factory, FakeAgent agent, string token)
    {
        _factory = factory;
        _agent = agent;
        DialToken = token;
        agent.OnOpenTunnel(OpenAsync);
    }

    /// <summary>The token the tunnel is dialed with (another host's token makes the wrong host dial).</summary>
    public string DialToken { get; set; }

    /// <summary>Runs before dialing (to let time pass, or dial something else first).</summary>
    public Func<TunnelRequest, Task>? BeforeDial { get; set; }

    /// <summary>Also dials the same id a second time after the first dial.</summary>
    public bool DialTwice { get; set; }

    public List<TunnelRequest> Requests { get; } = [];

    public List<string> Refusals { get; } = [];

    public long Relayed => Interlocked.Read(ref _relayed);

    public int Connected => Volatile.Read(ref _connected);

    public static async Task<TunnelAgent> StartAsync(PanelFactory factory, string token)
    {
        var agent = new FakeAgent(factory, token);
        var tunnels = new TunnelAgent(factory, agent, token);
        await agent.ConnectAsync();
        var welcome = await agent.RegisterAsync();
        Assert.True(welcome.Accepted, welcome.Message);
        return tunnels;
    }

    /// <summary>Dials a tunnel id as an agent would; throws when the panel refuses the upgrade.</summary>
    public static Task<WebSocket> DialAsync(PanelFactory factory, Guid tunnelId, string token)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
        return client.ConnectAsync(new Uri($"ws://localhost{AgentProtocol.TunnelPath}/{tunnelId:N}"), CancellationToken.None);
    }

    public async ValueTask DisposeAsync() => await _agent.DisposeAsync();

    private async Task<AgentReply> OpenAsync(TunnelRequest request)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        if (BeforeDial is not null)
        {
            await BeforeDial(request);
        }

        WebSocket socket;
        try
        {
            socket = await DialAsync(_factory, request.TunnelId, DialToken);
        }
        catch (InvalidOperationException ex)
        {
            Refusals.Add(ex.Message);
            return AgentReply.Failure(AgentErrorKind.Failed, ex.Message);
        }

        if (DialTwice)
        {
            try
            {
                (await DialAsync(_factory, request.TunnelId, DialToken)).Abort();
                Interlocked.Increment(ref _connected);
            }
            catch (InvalidOperationException ex)
            {
                Refusals.Add(ex.Message);
            }
        }

        Interlocked.Increment(ref _connected);
        _ = Task.Run(() => EchoAsync(socket));
        return AgentReply.Success();
    }

    private async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                Interlocked.Add(ref _relayed, result.Count);
                await socket.SendAsync(buffer.AsMemory(0, result.Count), WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
