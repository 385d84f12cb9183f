using System.Net.WebSockets;

namespace WebVirt.Relay;

/// <summary>
/// A WebSocket as a relay end: every frame is part of one byte stream, so message boundaries do not matter.
/// Binary and text frames are both accepted (xterm.js's AttachAddon types as text); writes are binary frames.
/// A received close frame is the end of the stream; a half-close sends our close frame while reading goes on.
/// </summary>
public sealed class WebSocketRelayEnd(WebSocket socket) : IRelayEnd
{
    private bool _closeReceived;

    public async ValueTask WaitReadableAsync(CancellationToken cancellationToken)
    {
        if (_closeReceived)
        {
            return;
        }

        var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        _closeReceived = result.MessageType == WebSocketMessageType.Close;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!_closeReceived)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closeReceived = true;
                break;
            }

            // An empty frame carries nothing: wait for the next one rather than report an end of stream.
            if (result.Count > 0)
            {
                return result.Count;
            }
        }

        return 0;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public async ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Abort() => socket.Abort();
}
