using System.Net.WebSockets;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Tests.Tunnels;

/// <summary>An endpoint that does what the upload endpoint does at the end of a chunk: one text answer, then its close.</summary>
internal sealed class AnsweringEndpoint(string answer) : ITunnelEndpoint
{
    public TunnelKind Kind => TunnelKind.Upload;

    public Task<string?> ValidateAsync(TunnelRequest request, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task RunAsync(TunnelRequest request, WebSocket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
    }
}
