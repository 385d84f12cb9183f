using System.Net.WebSockets;

namespace WebVirt.Bench.ConsoleRelay;

/// <summary>Paths (b) and (c): a browser-like WebSocket client sending binary frames.</summary>
internal sealed class WebSocketConnection(ClientWebSocket socket) : IBenchConnection
{
    public static async Task<IBenchConnection> ConnectAsync(Uri address)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        await socket.ConnectAsync(address, CancellationToken.None);
        return new WebSocketConnection(socket);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> data) => socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return 0;
            }

            if (result.Count > 0)
            {
                return result.Count;
            }
        }
    }

    public async ValueTask CompleteAsync() => await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

    public ValueTask DisposeAsync()
    {
        socket.Abort();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
