using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>
/// One VM's serial port shared by several viewers: the agent holds the chardev's single connection, keeps a
/// bounded scrollback (seeded from the tail of the serial log, so a new viewer sees the recent past), sends
/// every byte the guest prints to every viewer, and passes every viewer's keystrokes to the guest.
/// </summary>
internal sealed class SerialFanout(VmPaths paths, ILogger logger) : IAsyncDisposable
{
    public const int ScrollbackBytes = 256 * 1024;
    public const long MaxQueuedBytes = 4 * 1024 * 1024;

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _inputLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly SerialScrollback _scrollback = new(ScrollbackBytes);
    private readonly List<SerialViewer> _subscribers = [];
    private Socket? _chardev;
    private Task _pump = Task.CompletedTask;
    private bool _ended;
    private int _viewers;
    private bool _closed;

    public int Viewers => Volatile.Read(ref _viewers);

    /// <summary>Counts one more viewer; false once the fan-out is closing (the caller makes a new one). Under the registry's lock.</summary>
    public bool TryJoin()
    {
        if (_closed)
        {
            return false;
        }

        _viewers++;
        return true;
    }

    /// <summary>Counts a viewer out; true for the last one, after which this fan-out is closed. Under the registry's lock.</summary>
    public bool Leave()
    {
        _closed = --_viewers == 0;
        return _closed;
    }

    public async Task ServeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        Socket chardev;
        try
        {
            chardev = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            await CloseQuietlyAsync(socket, WebSocketCloseStatus.EndpointUnavailable, $"The VM's serial port is not reachable: {ex.Message}").ConfigureAwait(false);
            return;
        }

        var viewer = new SerialViewer(MaxQueuedBytes);
        lock (_lock)
        {
            // Scrollback and live bytes are queued under one lock: nothing is lost or repeated between them.
            if (_scrollback.Count > 0)
            {
                viewer.TryEnqueue(_scrollback.ToArray());
            }

            if (_ended)
            {
                viewer.Complete();
            }
            else
            {
                _subscribers.Add(viewer);
            }
        }

        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var output = SendOutputAsync(viewer, socket, session.Token);
        var input = ForwardInputAsync(socket, chardev, session.Token);
        await Task.WhenAny(output, input).ConfigureAwait(false);
        lock (_lock)
        {
            _subscribers.Remove(viewer);
        }

        var reason = viewer.FellBehind ? "This viewer fell too far behind the serial output." : _ended ? "The VM's serial port closed (the VM stopped)." : null;
        if (viewer.FellBehind)
        {
            TunnelLog.SlowSerialViewer(logger, paths.Uuid, viewer.Queued);
        }

        var status = reason is null ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.EndpointUnavailable;
        if (output.IsCompleted)
        {
            // Say why before cancelling the receive: a cancelled receive aborts the WebSocket and the reason would be lost.
            await CloseQuietlyAsync(socket, status, reason).ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(output), Quietly(input)).ConfigureAwait(false);
        }
        else
        {
            // The viewer left: stop sending first (one sender at a time), then answer its close.
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(output), Quietly(input)).ConfigureAwait(false);
            await CloseQuietlyAsync(socket, status, reason).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _chardev?.Dispose();
        await Quietly(_pump).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_chardev is not null)
            {
                return _chardev;
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(paths.SerialSocket), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            lock (_lock)
            {
                _scrollback.Write(ReadLogTail());
            }

            _chardev = socket;
            _pump = Task.Run(() => PumpAsync(socket, _stop.Token), CancellationToken.None);
            return socket;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>QEMU logs every byte the guest prints, even while nobody is connected: the recent past comes from there.</summary>
    private byte[] ReadLogTail()
    {
        try
        {
            using var log = new FileStream(paths.SerialLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = (int)Math.Min(log.Length, ScrollbackBytes);
            log.Seek(-length, SeekOrigin.End);
            var tail = new byte[length];
            log.ReadExactly(tail);
            return tail;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private async Task PumpAsync(Socket chardev, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var read = await chardev.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                var chunk = buffer.AsSpan(0, read).ToArray();
                lock (_lock)
                {
                    _scrollback.Write(chunk);
                    _subscribers.RemoveAll(viewer => !viewer.TryEnqueue(chunk));
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            lock (_lock)
            {
                _ended = true;
                foreach (var viewer in _subscribers)
                {
                    viewer.Complete();
                }

                _subscribers.Clear();
            }
        }
    }

    private static async Task SendOutputAsync(SerialViewer viewer, WebSocket socket, CancellationToken cancellationToken)
    {
        await foreach (var chunk in viewer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            viewer.Sent(chunk.Length);
        }
    }

    private async Task ForwardInputAsync(WebSocket socket, Socket chardev, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                // Keystrokes arrive as text frames from xterm.js, pasted text possibly as binary: both are bytes for the guest.
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await _inputLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var data = buffer.AsMemory(0, result.Count);
                    while (!data.IsEmpty)
                    {
                        data = data[await chardev.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false)..];
                    }
                }
                finally
                {
                    _inputLock.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string? reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
