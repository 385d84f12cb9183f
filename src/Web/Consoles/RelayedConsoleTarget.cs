using System.Net.WebSockets;
using WebVirt.Relay;

namespace WebVirt.Web.Consoles;

/// <summary>A console relayed byte for byte to <paramref name="far"/>: a tunnel WebSocket, or the VM's VNC socket itself.</summary>
internal sealed class RelayedConsoleTarget(ConsoleRoute route, IRelayEnd far, IDisposable connection) : IConsoleTarget
{
    public ConsoleRoute Route => route;

    public async Task<string> RunAsync(WebSocket browser, IRelayEnd browserEnd, CancellationToken cancellationToken) =>
        (await ByteRelay.RunAsync(browserEnd, far, cancellationToken).ConfigureAwait(false)).ToString();

    public void Dispose() => connection.Dispose();
}
