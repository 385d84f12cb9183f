using System.Net.WebSockets;

namespace WebVirt.Web.Tunnels;

/// <summary>A tunnel the panel asked an agent to dial: which host may dial it, until when, and who waits for the socket.</summary>
internal sealed class PendingTunnel(Guid hostId, DateTimeOffset expiresAt)
{
    private readonly TaskCompletionSource<WebSocket> _socket = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid HostId => hostId;

    public DateTimeOffset ExpiresAt => expiresAt;

    public Task<WebSocket> Socket => _socket.Task;

    /// <summary>Hands the dialed socket to the opener; false when the opener already gave up.</summary>
    public bool TryDeliver(WebSocket socket) => _socket.TrySetResult(socket);

    public void Fail(string reason, bool transient) => _socket.TrySetException(new TunnelException(reason) { IsTransient = transient });

    /// <summary>
    /// The opener gave up: a socket that arrives later is refused, and one that arrived as it gave up is closed
    /// (the agent's request would otherwise stay open, waiting for an opener that is gone).
    /// </summary>
    public void Abandon()
    {
        if (!_socket.TrySetException(new TunnelException("The tunnel is no longer wanted.")) && _socket.Task.IsCompletedSuccessfully)
        {
            _socket.Task.Result.Dispose();
        }
    }
}
