using System.Net.Sockets;
using System.Net.WebSockets;
using WebVirt.Shared.Storage;

namespace WebVirt.Shared.Tunnels;

/// <summary>
/// The byte paths of the host whose agent runs inside the panel's process (the single-machine setup,
/// <c>Agent:Embedded</c>). There, a console or an upload for that host needs no tunnel dialed over loopback: the
/// panel reaches the VM's socket and the pool straight away. Registered only when the agent is embedded; a
/// remote host is always reached through the tunnel its agent dials.
/// </summary>
public interface ILocalHostBytes
{
    /// <summary>Null when <paramref name="vmId"/> runs here with its console of <paramref name="kind"/> on, else why not.</summary>
    string? CheckConsole(Guid vmId, TunnelKind kind);

    /// <summary>A new connection to the VM's VNC server (QEMU serves several); the caller owns it.</summary>
    /// <exception cref="InvalidOperationException">The VM has no VNC console now; the message says why.</exception>
    /// <exception cref="SocketException">QEMU's VNC socket is gone (the VM stopped).</exception>
    Task<Socket> ConnectVncAsync(Guid vmId, CancellationToken cancellationToken);

    /// <summary>Serves the VM's shared serial console to <paramref name="viewer"/> until either side ends; the caller owns the socket.</summary>
    /// <exception cref="InvalidOperationException">The VM has no serial console now; the message says why.</exception>
    Task ServeSerialAsync(Guid vmId, WebSocket viewer, CancellationToken cancellationToken);

    /// <summary>Null when the chunk may be received, else the refusal (nothing is written).</summary>
    string? CheckUpload(UploadTarget upload);

    /// <summary>Writes the chunk read from <paramref name="body"/> into the pool, as an agent's upload tunnel would.</summary>
    Task<UploadResult> ReceiveUploadAsync(UploadTarget upload, Stream body, CancellationToken cancellationToken);
}
