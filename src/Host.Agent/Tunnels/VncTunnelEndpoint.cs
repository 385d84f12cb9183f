using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Vms;
using WebVirt.Relay;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>A VNC console: one connection to QEMU's VNC unix socket per viewer (QEMU serves several), relayed byte for byte.</summary>
internal sealed class VncTunnelEndpoint(ConsoleLocator locator, ILogger<VncTunnelEndpoint> logger) : ITunnelEndpoint
{
    public TunnelKind Kind => TunnelKind.Vnc;

    public Task<string?> ValidateAsync(TunnelRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.VmId is { } vmId
            ? (locator.ConsoleOf(vmId, Kind, out var refusal) is null ? refusal : null)
            : "A VNC tunnel needs a VM id.");

    public async Task RunAsync(TunnelRequest request, WebSocket socket, CancellationToken cancellationToken)
    {
        if (locator.ConsoleOf(request.VmId!.Value, Kind, out var refusal) is not { } paths)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var vnc = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await vnc.ConnectAsync(new UnixDomainSocketEndPoint(paths.VncSocket), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "The VM's VNC server is gone (the VM stopped).", cancellationToken).ConfigureAwait(false);
            TunnelLog.Closed(logger, Kind, request.TunnelId, request.VmId, ex.Message);
            return;
        }

        var result = await ByteRelay.RunAsync(new WebSocketRelayEnd(socket), new SocketRelayEnd(vnc), cancellationToken).ConfigureAwait(false);
        TunnelLog.Closed(logger, Kind, request.TunnelId, request.VmId, result.ToString());
    }
}
