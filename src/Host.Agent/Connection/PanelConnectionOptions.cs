using Microsoft.AspNetCore.Http.Connections.Client;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// How the agent's hub connection is made, set in code rather than configuration: the embedded agent and
/// tests use it to change the transport or the retry pace.
/// </summary>
public sealed class PanelConnectionOptions
{
    /// <summary>Waits between connection attempts; the last one repeats for ever.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>The wait after the panel refused the token: an administrator has to act, so there is no hurry.</summary>
    public TimeSpan UnauthorizedRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Applied after the defaults (WebSockets only, no negotiation, the bearer token): for example a custom
    /// <see cref="HttpConnectionOptions.HttpMessageHandlerFactory"/> or transport.
    /// </summary>
    public Action<HttpConnectionOptions>? ConfigureHttpConnection { get; set; }

    /// <summary>
    /// Dials a tunnel WebSocket (address, host token); by default a <see cref="System.Net.WebSockets.ClientWebSocket"/>.
    /// Tests that host the panel in memory replace it.
    /// </summary>
    public Func<Uri, string?, CancellationToken, Task<System.Net.WebSockets.WebSocket>>? ConnectTunnel { get; set; }
}
