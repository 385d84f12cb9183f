using System.Net.Sockets;
using System.Net.WebSockets;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Embedded;

/// <summary>
/// The embedded agent's consoles and uploads, handed to the panel in the same process: the same checks and the same
/// services a dialed tunnel reaches (<see cref="VncTunnelEndpoint"/>, <see cref="SerialConsoles"/>,
/// <see cref="UploadTunnelEndpoint"/>), without the loopback WebSocket between them.
/// </summary>
internal sealed class LocalHostBytes(ConsoleLocator locator, SerialConsoles serialConsoles, PoolTransfers transfers) : ILocalHostBytes
{
    public string? CheckConsole(Guid vmId, TunnelKind kind) => locator.ConsoleOf(vmId, kind, out var refusal) is null ? refusal : null;

    public async Task<Socket> ConnectVncAsync(Guid vmId, CancellationToken cancellationToken)
    {
        var paths = locator.ConsoleOf(vmId, TunnelKind.Vnc, out var refusal) ?? throw new InvalidOperationException(refusal);
        var vnc = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await vnc.ConnectAsync(new UnixDomainSocketEndPoint(paths.VncSocket), cancellationToken).ConfigureAwait(false);
            return vnc;
        }
        catch
        {
            vnc.Dispose();
            throw;
        }
    }

    public Task ServeSerialAsync(Guid vmId, WebSocket viewer, CancellationToken cancellationToken)
    {
        var paths = locator.ConsoleOf(vmId, TunnelKind.Serial, out var refusal) ?? throw new InvalidOperationException(refusal);
        return serialConsoles.ViewAsync(paths, viewer, cancellationToken);
    }

    public string? CheckUpload(UploadTarget upload) => transfers.Check(upload)?.Error;

    public Task<UploadResult> ReceiveUploadAsync(UploadTarget upload, Stream body, CancellationToken cancellationToken) =>
        transfers.ReceiveAsync(upload, (buffer, ct) => body.ReadAsync(buffer, ct), cancellationToken);
}
