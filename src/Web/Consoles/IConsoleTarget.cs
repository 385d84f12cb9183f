using System.Net.WebSockets;
using WebVirt.Relay;

namespace WebVirt.Web.Consoles;

/// <summary>The far end of one console connection, opened by <see cref="ConsoleTargets"/> before the session starts.</summary>
internal interface IConsoleTarget : IDisposable
{
    ConsoleRoute Route { get; }

    /// <summary>
    /// Carries the console between the browser and the VM until either side ends or <paramref name="cancellationToken"/>
    /// fires; says how it ended. <paramref name="browserEnd"/> is the browser's socket as a relay end (perhaps filtered).
    /// </summary>
    Task<string> RunAsync(WebSocket browser, IRelayEnd browserEnd, CancellationToken cancellationToken);
}
