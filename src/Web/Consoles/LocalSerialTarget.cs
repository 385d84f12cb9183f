using System.Net.WebSockets;
using WebVirt.Relay;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Web.Consoles;

/// <summary>
/// A serial console of a VM on the panel's own host: the browser's socket joins the agent's shared view of the serial
/// port directly (scrollback, other viewers), as a dialed tunnel would. Filters of the browser end do not apply:
/// serial consoles are never shared read-only.
/// </summary>
internal sealed class LocalSerialTarget(ILocalHostBytes local, Guid vmId) : IConsoleTarget
{
    public ConsoleRoute Route => ConsoleRoute.Direct;

    public async Task<string> RunAsync(WebSocket browser, IRelayEnd browserEnd, CancellationToken cancellationToken)
    {
        try
        {
            await local.ServeSerialAsync(vmId, browser, cancellationToken).ConfigureAwait(false);
            return "the serial view ended";
        }
        catch (InvalidOperationException ex)
        {
            // The VM stopped between the check and now: say so, as the agent's end of a tunnel would.
            await ConsoleEndpoints.CloseAsync(browser, WebSocketCloseStatus.EndpointUnavailable, ex.Message).ConfigureAwait(false);
            return ex.Message;
        }
    }

    public void Dispose()
    {
    }
}
