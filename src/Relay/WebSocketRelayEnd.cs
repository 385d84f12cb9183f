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
        // A receive gives what the connection has delivered so far, often a few KiB of a larger message. The rest of
        // the message is already on its way (the sender framed it whole), so it is read here too, up to the buffer:
        // relayed in pieces, every piece would cost the next hop a frame, a flush and a wake-up of its own.
        var total = 0;
        while (!_closeReceived && total < buffer.Length)
        {
            var result = await socket.ReceiveAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _closeReceived = true;
                break;
            }

            total += result.Count;

            // An empty message carries nothing: wait for the next one rather than report an end of stream.
            if (result.EndOfMessage && total > 0)
            {
                break;
            }
        }

        return total;
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
