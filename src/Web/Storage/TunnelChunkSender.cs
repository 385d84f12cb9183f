using System.Buffers;
using System.Net.WebSockets;

namespace WebVirt.Web.Storage;

/// <summary>
/// Sends a chunk's request body into an upload tunnel in full messages, reading the next one from the body while
/// the last one is on its way (the two overlap instead of taking turns). A body read gives what has arrived, often a
/// few KiB; a full message instead costs the agent one frame, one wake-up and one write per MiB.
/// </summary>
internal sealed class TunnelChunkSender(WebSocket tunnel) : IDisposable
{
    /// <summary>As large as the agent's write block, so each message becomes one write there.</summary>
    public const int MessageBytes = 1 << 20;

    private readonly byte[][] _messages = [ArrayPool<byte>.Shared.Rent(MessageBytes), ArrayPool<byte>.Shared.Rent(MessageBytes)];

    /// <summary>The bytes the tunnel has taken.</summary>
    public long Sent { get; private set; }

    /// <summary>
    /// Sends up to <paramref name="length"/> bytes of <paramref name="body"/>. A failure of either side is thrown as it came
    /// (the body's <see cref="IOException"/>, the tunnel's <see cref="WebSocketException"/>), once no send is in flight.
    /// </summary>
    public async Task SendAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        var sending = Task.CompletedTask;
        var inFlight = 0;
        var current = 0;
        long read = 0;
        try
        {
            while (read < length)
            {
                var message = _messages[current];
                var room = (int)Math.Min(message.Length, length - read);
                var count = await body.ReadAtLeastAsync(message.AsMemory(0, room), room, throwOnEndOfStream: false, cancellationToken);
                await sending;
                (Sent, inFlight) = (Sent + inFlight, 0);
                if (count == 0)
                {
                    return;
                }

                sending = tunnel.SendAsync(message.AsMemory(0, count), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).AsTask();
                (inFlight, read, current) = (count, read + count, current ^ 1);
            }

            await sending;
            Sent += inFlight;
        }
        catch
        {
            // The body broke off: what is on its way still reaches the agent, which keeps it for the resume.
            try
            {
                await sending;
                Sent += inFlight;
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
            }

            throw;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_messages[0]);
        ArrayPool<byte>.Shared.Return(_messages[1]);
    }
}
