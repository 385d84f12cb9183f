using System.Net.Sockets;
using System.Net.WebSockets;
using WebVirt.TestSupport;

namespace WebVirt.Relay.Tests;

/// <summary>
/// A WebSocket end hands the relay each message whole (up to its buffer), even when the connection delivers it in
/// small pieces, so the next hop gets one frame per message, not one per network read; and it never waits past a
/// message's end for more, so a keystroke is passed on at once.
/// </summary>
public sealed class WebSocketRelayEndTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new("wvw");
    private SocketPair? _pair;
    private WebSocket? _sender;
    private WebSocket? _receiver;

    public async Task InitializeAsync()
    {
        _pair = await SocketPair.ConnectAsync(_folder);
        _sender = WebSocket.CreateFromStream(new NetworkStream(_pair.Left, ownsSocket: false), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        _receiver = WebSocket.CreateFromStream(new TrickleStream(new NetworkStream(_pair.Right, ownsSocket: false), 1000), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
    }

    public Task DisposeAsync()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        _pair?.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AMessageDeliveredInPieces_IsReadWhole_ALargerOneInBufferSizedParts()
    {
        var end = new WebSocketRelayEnd(_receiver!);
        var buffer = new byte[64 * 1024];
        var small = Pattern(50_000, 1);
        await _sender!.SendAsync(small, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(small.Length, await end.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal(small, buffer[..small.Length]);

        var large = Pattern(100_000, 2);
        await _sender.SendAsync(large, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(buffer.Length, await end.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal(large[..buffer.Length], buffer);
        Assert.Equal(large.Length - buffer.Length, await end.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal(large[buffer.Length..], buffer[..(large.Length - buffer.Length)]);
    }

    [Fact]
    public async Task AShortMessage_IsPassedOnWithoutWaitingForTheNext()
    {
        var end = new WebSocketRelayEnd(_receiver!);
        var buffer = new byte[64 * 1024];
        await _sender!.SendAsync(new byte[] { 42 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        // Nothing else is sent: the read must end at the message's end (a wait for more would time out here).
        var read = await end.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, read);
        Assert.Equal(42, buffer[0]);
    }

    [Fact]
    public async Task EmptyMessages_AreSkipped_AndTheCloseEndsTheStream()
    {
        var end = new WebSocketRelayEnd(_receiver!);
        var buffer = new byte[1024];
        await _sender!.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        await _sender.SendAsync(new byte[] { 7, 8 }, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.Equal(2, await end.ReadAsync(buffer, CancellationToken.None));
        await _sender.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(0, await end.ReadAsync(buffer, CancellationToken.None));
    }

    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
