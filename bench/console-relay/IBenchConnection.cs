namespace WebVirt.Bench.ConsoleRelay;

/// <summary>One client connection through a path: a byte stream to the echo server and back.</summary>
internal interface IBenchConnection : IAsyncDisposable
{
    ValueTask SendAsync(ReadOnlyMemory<byte> data);

    /// <summary>Some bytes (at least one) of what came back.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    /// <summary>No more bytes follow from the client.</summary>
    ValueTask CompleteAsync();
}
