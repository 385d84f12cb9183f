using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WebVirt.Hypervisor.Qmp;

/// <summary>
/// One negotiated QMP connection to a QEMU process over its unix socket.
/// </summary>
/// <remarks>
/// QEMU serves one QMP client at a time: a second connection gets no greeting until the first
/// closes. Events are not replayed on a new connection, so after (re)connecting callers resync
/// with <c>query-status</c>, <c>query-jobs</c>, <c>query-migrate</c>, <c>query-block</c> and
/// <c>query-vnc</c> instead of trusting what they last saw. A client never reconnects itself:
/// when <see cref="Completion"/> completes, connect a new one.
/// </remarks>
public sealed partial class QmpClient : IAsyncDisposable
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private readonly NetworkStream _stream;
    private readonly QmpMessageReader _reader;
    private readonly string _socketPath;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>();
    private readonly Channel<QmpPendingCommand> _outbox = Channel.CreateUnbounded<QmpPendingCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<QmpDisconnect> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Keyed by id, which grows in send order, so the first sent entry is the oldest command on the wire.
    // Also the lock for everything that must agree with it: ids, Sent/Abandoned flags, _disconnect.
    private readonly SortedDictionary<long, QmpPendingCommand> _pending = [];
    private long _lastId;
    private QmpDisconnect? _disconnect;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private QmpClient(NetworkStream stream, QmpMessageReader reader, QmpVersion version, string socketPath, ILogger logger)
    {
        _stream = stream;
        _reader = reader;
        _socketPath = socketPath;
        _logger = logger;
        Version = version;
    }

    /// <summary>The QEMU version from the greeting.</summary>
    public QmpVersion Version { get; }

    /// <summary>
    /// Every event, in arrival order. Unbounded so a slow consumer never stalls replies; completes
    /// when the connection ends. An event may arrive before the reply to the command that caused it.
    /// </summary>
    public ChannelReader<QmpEvent> Events => _events.Reader;

    /// <summary>Completes (never faults) when the connection ends, saying why.</summary>
    public Task<QmpDisconnect> Completion => _completion.Task;

    public bool IsConnected => !_completion.Task.IsCompleted;

    /// <summary>Timeout for commands that pass none. QMP commands reply at once; long work runs as jobs.</summary>
    public TimeSpan DefaultCommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connects, reads the greeting and negotiates capabilities; <paramref name="timeout"/> covers all of it.
    /// </summary>
    /// <remarks>
    /// A missing or refusing socket fails at once rather than being retried: QEMU creates the socket
    /// file just before it listens, so right after starting QEMU wait for it (e.g. <c>-daemonize</c>
    /// returns once it listens) or retry.
    /// </remarks>
    /// <exception cref="QmpException">The socket is missing or refuses, no greeting came in time
    /// (usually another QMP client is connected), or negotiation failed.</exception>
    public static async Task<QmpClient> ConnectAsync(string socketPath, TimeSpan timeout, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new QmpException($"Cannot connect to the QMP socket '{socketPath}': {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new QmpMessageReader(PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024)), QmpMessageReader.DefaultMaxLineBytes);
        QmpClient client;
        try
        {
            var version = await ReadGreetingAsync(reader, socketPath, timeout, deadline.Token, cancellationToken).ConfigureAwait(false);
            client = new QmpClient(stream, reader, version, socketPath, logger ?? NullLogger.Instance);
        }
        catch
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        client.Start();
        try
        {
            await client.ExecuteAsync("qmp_capabilities", null, Timeout.InfiniteTimeSpan, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new QmpException($"QMP capabilities negotiation on '{socketPath}' did not finish within {timeout}", ex);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        client._logger.Connected(socketPath, client.Version);
        return client;
    }

    /// <summary>
    /// Runs a command and returns its <c>return</c> value. <paramref name="arguments"/> is anything
    /// System.Text.Json serializes to an object (an anonymous object, a dictionary, a JsonObject);
    /// use a dictionary for QMP names with dashes.
    /// </summary>
    /// <exception cref="QmpException">QEMU replied with an error (see <see cref="QmpException.ErrorClass"/>).</exception>
    /// <exception cref="QmpDisconnectedException">The connection ended before the reply, or had already ended.</exception>
    /// <exception cref="TimeoutException">No reply within the timeout (default <see cref="DefaultCommandTimeout"/>).</exception>
    public async Task<JsonElement> ExecuteAsync(string command, object? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var limit = timeout ?? DefaultCommandTimeout;
        if (limit <= TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, "A QMP command timeout must be positive or infinite.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = Enqueue(command, QmpWire.SerializeArguments(arguments));
        QmpResponse response;
        try
        {
            response = await pending.Response.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            Abandon(pending);
            throw new TimeoutException($"QMP command '{command}' got no reply within {limit}", ex);
        }
        catch (OperationCanceledException)
        {
            Abandon(pending);
            throw;
        }

        return response.GetReturnOrThrow(command);
    }

    /// <summary>Closes the connection; pending commands fail with <see cref="QmpDisconnectedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Shutdown(new QmpDisconnect(QmpDisconnectReason.Disposed));
        await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private static async Task<QmpVersion> ReadGreetingAsync(
        QmpMessageReader reader, string socketPath, TimeSpan timeout, CancellationToken deadline, CancellationToken cancellationToken)
    {
        JsonElement? greeting;
        try
        {
            greeting = await reader.ReadAsync(deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QmpException(
                $"No QMP greeting from '{socketPath}' within {timeout}: another QMP client may be connected (QEMU serves only one at a time)",
                new TimeoutException("QMP greeting timed out", ex));
        }

        if (greeting is not { } message)
        {
            throw new QmpDisconnectedException(null, new QmpDisconnect(QmpDisconnectReason.ClosedByPeer, new EndOfStreamException("closed before the greeting")));
        }

        if (QmpJson.Object(message, "QMP") is not { } qmp
            || QmpJson.Object(qmp, "version") is not { } version
            || QmpJson.Object(version, "qemu") is not { } qemu)
        {
            throw new QmpException($"Expected a QMP greeting from '{socketPath}', got: {QmpJson.Truncate(message)}");
        }

        return new QmpVersion(
            (int)(QmpJson.Int64(qemu, "major") ?? 0),
            (int)(QmpJson.Int64(qemu, "minor") ?? 0),
            (int)(QmpJson.Int64(qemu, "micro") ?? 0),
            QmpJson.String(version, "package") ?? "");
    }
}
