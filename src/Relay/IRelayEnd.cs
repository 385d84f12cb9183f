namespace WebVirt.Relay;

/// <summary>
/// One side of a byte relay: a WebSocket or a socket, seen as a byte stream that can be half-closed.
/// Public because the panel relays browser ⇄ tunnel with the same code (it references the agent for the embedded setup).
/// </summary>
public interface IRelayEnd
{
    /// <summary>Waits until bytes (or the end) can be read, without holding a buffer while idle.</summary>
    ValueTask WaitReadableAsync(CancellationToken cancellationToken);

    /// <summary>Reads some bytes; 0 means the other party finished sending (clean close or half-close).</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Tells the other party that no more bytes follow (half-close); reading may go on.</summary>
    ValueTask CompleteWritesAsync(CancellationToken cancellationToken);

    /// <summary>Drops the connection at once (after a failure on the other side).</summary>
    void Abort();
}
