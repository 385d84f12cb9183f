using System.Net.WebSockets;
using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>A serial console viewer: joins the VM's <see cref="SerialFanout"/>, since the chardev serves one client only.</summary>
internal sealed class SerialTunnelEndpoint(ConsoleLocator locator, SerialConsoles consoles) : ITunnelEndpoint
{
    public TunnelKind Kind => TunnelKind.Serial;

    public Task<string?> ValidateAsync(TunnelRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.VmId is { } vmId
            ? (locator.ConsoleOf(vmId, Kind, out var refusal) is null ? refusal : null)
            : "A serial tunnel needs a VM id.");

    public async Task RunAsync(TunnelRequest request, WebSocket socket, CancellationToken cancellationToken)
    {
        if (locator.ConsoleOf(request.VmId!.Value, Kind, out var refusal) is not { } paths)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        await consoles.ViewAsync(paths, socket, cancellationToken).ConfigureAwait(false);
    }
}
