using System.Net.Sockets;
using System.Net.WebSockets;
using WebVirt.Relay;
using WebVirt.TestSupport;

namespace WebVirt.Relay.Tests;

/// <summary>
/// A browser-like WebSocket client ⇄ relay ⇄ a VNC-like unix socket, all real sockets: <see cref="Browser"/> talks
/// to the relay's WebSocket end, <see cref="Vm"/> is the far side of the relay's socket end.
/// </summary>
internal sealed class RelayRig : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    public required WebSocket Browser { get; init; }

    public required Socket Vm { get; init; }

    public required Task<RelayResult> Relay { get; init; }

    public required CancellationTokenSource Stop { get; init; }

    public static async Task<RelayRig> StartAsync()
    {
        var folder = new TempFolder("wvr");
        var web = await SocketPair.ConnectAsync(folder);
        var vm = await SocketPair.ConnectAsync(folder);
        var browser = WebSocket.CreateFromStream(new NetworkStream(web.Left, ownsSocket: true), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var server = WebSocket.CreateFromStream(new NetworkStream(web.Right, ownsSocket: true), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var stop = new CancellationTokenSource();
        var relay = Task.Run(() => ByteRelay.RunAsync(new WebSocketRelayEnd(server), new SocketRelayEnd(vm.Left), stop.Token));
        var rig = new RelayRig { Browser = browser, Vm = vm.Right, Relay = relay, Stop = stop };
        rig._owned.AddRange([folder, web, vm, server, browser]);
        return rig;
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Stop.Dispose();
    }
}
