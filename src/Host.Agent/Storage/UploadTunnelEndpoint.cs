using System.Net.WebSockets;
using System.Text.Json;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// The agent's end of an upload tunnel: the panel sends exactly the chunk's bytes as binary messages, the agent
/// writes them to the partial file and answers with one text message, the <see cref="UploadResult"/> as JSON,
/// then closes. A tunnel that closes early leaves the bytes that arrived, so the client can resume after them.
/// </summary>
internal sealed class UploadTunnelEndpoint(PoolTransfers transfers, Microsoft.Extensions.Logging.ILogger<UploadTunnelEndpoint> logger) : ITunnelEndpoint
{
    public TunnelKind Kind => TunnelKind.Upload;

    public Task<string?> ValidateAsync(TunnelRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(transfers.Check(request.Upload)?.Error);

    public async Task RunAsync(TunnelRequest request, WebSocket socket, CancellationToken cancellationToken)
    {
        var result = await transfers.ReceiveAsync(request.Upload!, (buffer, ct) => ReadAsync(socket, buffer, ct), cancellationToken).ConfigureAwait(false);
        if (!result.Ok)
        {
            StorageLog.ChunkRefused(logger, request.Upload!.FileName, request.Upload.Offset, result.Error!);
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(result, StorageJson.Options);
            await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, result.Ok ? "done" : "refused", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<int> ReadAsync(WebSocket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (socket.State != WebSocketState.Open)
        {
            return 0;
        }

        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            switch (received.MessageType)
            {
                case WebSocketMessageType.Close:
                    return 0;
                case WebSocketMessageType.Text:
                    throw new WebSocketException("An upload tunnel carries binary messages only.");
                case WebSocketMessageType.Binary when received.Count > 0:
                    return received.Count;
            }
        }
    }
}
