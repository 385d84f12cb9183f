using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebVirt.Relay;

namespace WebVirt.Bench.ConsoleRelay;

/// <summary>
/// Path (d), the embedded single-machine console path: the panel and agent are one process, so the browser's
/// WebSocket is relayed by <see cref="ByteRelay"/> straight to the unix socket, one hop, as the panel's local console does.
/// Path (c), WebVirt's console path to a remote host with its two hops: browser WebSocket → panel (Kestrel) → the tunnel WebSocket
/// the agent dialed back (ClientWebSocket → Kestrel) → agent → unix socket, relayed on both hops by the product's
/// <see cref="ByteRelay"/>. Only the per-connection bookkeeping is simplified: the panel asks the agent in-process
/// instead of over SignalR, and tickets, cookies and host tokens are not checked (they cost nothing per byte).
/// </summary>
internal sealed class WebVirtPath : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<(WebSocket Socket, TaskCompletionSource Done)>> _pending = new();
    private readonly string _target;

    private WebVirtPath(WebApplication app, string target)
    {
        _app = app;
        _target = target;
    }

    public Uri ConsoleAddress => new(Address.Replace("http://", "ws://", StringComparison.Ordinal) + "/console");

    public Uri LocalConsoleAddress => new(Address.Replace("http://", "ws://", StringComparison.Ordinal) + "/local-console");

    private string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<WebVirtPath> StartAsync(string target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var path = new WebVirtPath(app, target);
        app.UseWebSockets();
        app.Map("/console", path.ConsoleAsync);
        app.Map("/local-console", path.LocalConsoleAsync);
        app.Map("/agent/tunnels/{id:guid}", (Func<Guid, HttpContext, Task>)path.TunnelAsync);
        await app.StartAsync();
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // The panel: accept the browser, have the agent dial a tunnel back, relay between the two WebSockets.
    private async Task ConsoleAsync(HttpContext context)
    {
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var browser = await context.WebSockets.AcceptWebSocketAsync(offered.Contains("binary") ? "binary" : null);
        var id = Guid.NewGuid();
        var pending = new TaskCompletionSource<(WebSocket, TaskCompletionSource)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = pending;
        _ = Task.Run(() => AgentAsync(id));
        var (tunnel, done) = await pending.Task;
        try
        {
            await ByteRelay.RunAsync(new WebSocketRelayEnd(browser), new WebSocketRelayEnd(tunnel), context.RequestAborted);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    // The embedded panel: accept the browser and relay straight to the unix socket.
    private async Task LocalConsoleAsync(HttpContext context)
    {
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var browser = await context.WebSockets.AcceptWebSocketAsync(offered.Contains("binary") ? "binary" : null);
        using var target = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await target.ConnectAsync(new UnixDomainSocketEndPoint(_target));
        await ByteRelay.RunAsync(new WebSocketRelayEnd(browser), new SocketRelayEnd(target), context.RequestAborted);
    }

    private async Task TunnelAsync(Guid id, HttpContext context)
    {
        if (!_pending.TryRemove(id, out var pending))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pending.SetResult((socket, done));
        await done.Task;
    }

    // The agent: dial the tunnel back to the panel, connect the unix socket, relay.
    private async Task AgentAsync(Guid id)
    {
        using var tunnel = new ClientWebSocket();
        await tunnel.ConnectAsync(new Uri(ConsoleAddress, $"/agent/tunnels/{id:N}"), CancellationToken.None);
        using var target = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await target.ConnectAsync(new UnixDomainSocketEndPoint(_target));
        await ByteRelay.RunAsync(new WebSocketRelayEnd(tunnel), new SocketRelayEnd(target), CancellationToken.None);
    }
}
