using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Connection;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>
/// Answers the panel's OpenTunnel: checks the request with the endpoint for its kind, dials the tunnel
/// WebSocket back to the panel (the agent opens every connection, the host needs no inbound port), answers,
/// and then lets the endpoint relay in the background until either side closes.
/// </summary>
internal sealed class TunnelDialer(
    IEnumerable<ITunnelEndpoint> endpoints,
    IOptions<AgentOptions> options,
    IOptions<PanelConnectionOptions> connectionOptions,
    ILogger<TunnelDialer> logger) : IAsyncDisposable
{
    /// <summary>How long dialing the panel may take; the panel forgets the tunnel id soon after anyway.</summary>
    public static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a tunnel the agent closed waits for the panel's close before the connection is dropped.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<TunnelKind, ITunnelEndpoint> _endpoints = endpoints.ToDictionary(e => e.Kind);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    public async Task<AgentReply> OpenAsync(TunnelRequest request)
    {
        if (!_endpoints.TryGetValue(request.Kind, out var endpoint))
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"This agent cannot open {request.Kind} tunnels.");
        }

        if (string.IsNullOrWhiteSpace(options.Value.PanelUrl))
        {
            return AgentReply.Failure(AgentErrorKind.Failed, "This agent has no panel address (Agent:PanelUrl) to dial a tunnel to.");
        }

        var refusal = await endpoint.ValidateAsync(request, _stopping.Token).ConfigureAwait(false);
        if (refusal is not null)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, refusal);
        }

        var address = TunnelAddress(options.Value.PanelUrl, request.TunnelId);
        WebSocket socket;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(DialTimeout);
            socket = await DialAsync(address, options.Value.Token, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or OperationCanceledException)
        {
            TunnelLog.DialFailed(logger, request.Kind, request.TunnelId, ex.Message);
            return AgentReply.Failure(AgentErrorKind.Failed, $"Could not dial the tunnel back to the panel: {ex.Message}");
        }

        var run = RunAsync(endpoint, request, socket);
        _running.TryAdd(run, 0);
        _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return AgentReply.Success();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal static Uri TunnelAddress(string panelUrl, Guid tunnelId)
    {
        var builder = new UriBuilder(panelUrl.TrimEnd('/') + AgentProtocol.TunnelPath + "/" + tunnelId.ToString("N"));
        builder.Scheme = builder.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs;
        return builder.Uri;
    }

    private Task<WebSocket> DialAsync(Uri address, string? token, CancellationToken cancellationToken) =>
        connectionOptions.Value.ConnectTunnel is { } connect
            ? connect(address, token, cancellationToken)
            : DialClientAsync(address, token, new PanelCertificatePin(options.Value.PanelCertificateSha256), cancellationToken);

    private static async Task<WebSocket> DialClientAsync(Uri address, string? token, PanelCertificatePin pin, CancellationToken cancellationToken)
    {
        var client = new ClientWebSocket();
        try
        {
            client.Options.SetRequestHeader("Authorization", $"Bearer {token}");
            client.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => pin.Accepts(certificate, errors);
            await client.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task RunAsync(ITunnelEndpoint endpoint, TunnelRequest request, WebSocket socket)
    {
        // Off the SignalR handler's thread: the reply goes out now, the relay runs as long as the console is open.
        await Task.Yield();
        try
        {
            await endpoint.RunAsync(request, socket, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TunnelLog.EndpointFailed(logger, request.Kind, request.TunnelId, ex);
        }
        finally
        {
            await AwaitPanelCloseAsync(socket).ConfigureAwait(false);
            socket.Dispose();
        }
    }

    /// <summary>
    /// After the endpoint's close (an upload sends its answer, then closes), waits until the panel closes too, or
    /// hangs up. Dropping the connection at once would race the panel still reading the answer, and reset the
    /// connection, losing the answer, if the panel's keep-alive pings sat unread here meanwhile.
    /// </summary>
    private async Task AwaitPanelCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        var buffer = new byte[256];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(CloseTimeout);
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The panel hung up, or took too long: the connection goes either way.
        }
    }
}
