using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace WebVirt.Relay;

/// <summary>
/// Copies bytes both ways between two ends at once, as YARP's StreamCopier does: buffers come from the shared
/// pool only while data flows (a zero-byte wait first), every write is awaited before the next read
/// (backpressure: a slow reader slows the writer, memory stays one buffer per direction), an end of stream
/// is passed on as a half-close, and a failure on either side cancels and aborts both.
/// </summary>
public static class ByteRelay
{
    public const int BufferSize = 64 * 1024;

    public static async Task<RelayResult> RunAsync(IRelayEnd a, IRelayEnd b, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var aToB = new Direction();
        var bToA = new Direction();
        var forward = CopyAsync(a, b, aToB, stop.Token);
        var backward = CopyAsync(b, a, bToA, stop.Token);

        var first = await Task.WhenAny(forward, backward).ConfigureAwait(false);
        if (first.Result != RelayEnding.Completed)
        {
            // One side is gone: the other direction cannot deliver anything useful any more.
            await stop.CancelAsync().ConfigureAwait(false);
            a.Abort();
            b.Abort();
        }

        // After a clean half-close the other direction runs on until its source ends too (or the caller cancels).
        var results = await Task.WhenAll(forward, backward).ConfigureAwait(false);
        if (results.Any(r => r != RelayEnding.Completed))
        {
            a.Abort();
            b.Abort();
        }

        return new RelayResult(results[0], results[1], aToB.Bytes, bToA.Bytes);
    }

    private static async Task<RelayEnding> CopyAsync(IRelayEnd source, IRelayEnd destination, Direction direction, CancellationToken cancellationToken)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    if (buffer is null)
                    {
                        await source.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    }

                    read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionError(ex))
                {
                    return cancellationToken.IsCancellationRequested ? RelayEnding.Cancelled : RelayEnding.SourceFailed;
                }

                try
                {
                    if (read == 0)
                    {
                        await destination.CompleteWritesAsync(cancellationToken).ConfigureAwait(false);
                        return RelayEnding.Completed;
                    }

                    await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionError(ex))
                {
                    return cancellationToken.IsCancellationRequested ? RelayEnding.Cancelled : RelayEnding.DestinationFailed;
                }

                direction.Bytes += read;
                if (read < buffer.Length)
                {
                    // A short read means the source is drained for now: give the buffer back while idle.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static bool IsConnectionError(Exception exception) =>
        exception is IOException or SocketException or WebSocketException or OperationCanceledException or ObjectDisposedException;

    private sealed class Direction
    {
        public long Bytes;
    }
}
