using System.Net.Sockets;

namespace WebVirt.Relay;

/// <summary>A connected stream socket (QEMU's VNC or serial unix socket, the benchmark's echo server) as a relay end.</summary>
public sealed class SocketRelayEnd(Socket socket) : IRelayEnd
{
    public async ValueTask WaitReadableAsync(CancellationToken cancellationToken) =>
        await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }

    public void Abort()
    {
        try
        {
            // Linger 0 is meaningless on unix sockets; shutting both ways wakes any pending receive.
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
