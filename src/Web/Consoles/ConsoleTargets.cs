using System.Net.Sockets;
using WebVirt.Relay;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Opens the far end of a console: for a VM on the host whose agent runs in this process, the VM's socket itself
/// (one hop, no loopback tunnel); for any other host, a tunnel its agent dials back.
/// </summary>
internal sealed class ConsoleTargets(TunnelBroker broker, ILocalHostBytes? local = null)
{
    /// <summary>Throws <see cref="TunnelException"/> with the reason when the console cannot be reached.</summary>
    public async Task<IConsoleTarget> OpenAsync(ConsoleHost host, Guid vmId, TunnelKind kind, CancellationToken cancellationToken)
    {
        if (local is not null && host.IsLocal)
        {
            return await OpenLocalAsync(local, vmId, kind, cancellationToken).ConfigureAwait(false);
        }

        var tunnel = await broker.OpenAsync(host.Id, host.Name, new TunnelRequest { TunnelId = Guid.Empty, Kind = kind, VmId = vmId }, cancellationToken).ConfigureAwait(false);
        return new RelayedConsoleTarget(ConsoleRoute.Tunnel, new WebSocketRelayEnd(tunnel), tunnel);
    }

    private static async Task<IConsoleTarget> OpenLocalAsync(ILocalHostBytes local, Guid vmId, TunnelKind kind, CancellationToken cancellationToken)
    {
        // The same refusals an agent gives when asked for a tunnel (no such VM, not running, that console off).
        if (local.CheckConsole(vmId, kind) is { } refusal)
        {
            throw new TunnelException(refusal);
        }

        if (kind == TunnelKind.Serial)
        {
            return new LocalSerialTarget(local, vmId);
        }

        try
        {
            var vnc = await local.ConnectVncAsync(vmId, cancellationToken).ConfigureAwait(false);
            return new RelayedConsoleTarget(ConsoleRoute.Direct, new SocketRelayEnd(vnc), vnc);
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            throw new TunnelException(ex is SocketException ? "The VM's VNC server is gone (the VM stopped)." : ex.Message) { IsTransient = ex is SocketException };
        }
    }
}
