using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tunnels;
using WebVirt.Web.Vms;
using OperationStatus = WebVirt.Web.Vms.OperationStatus;
using WebVirt.Rules.Storage;

namespace WebVirt.Web.Storage;

/// <summary>
/// Chunked, resumable uploads from browsers into a host's pool. Each chunk request's body is streamed as it
/// arrives into an agent-dialed tunnel (one pooled buffer, never the whole chunk, never the file); the agent
/// writes it after the bytes it already holds. On the host whose agent runs in this process the body is written
/// into the pool directly, with the same checks. One task per file follows the upload across its requests.
/// </summary>
internal sealed class UploadOperations(
    IDbContextFactory<WebVirtDbContext> contexts,
    PoolFileOperations files,
    StorageAgents storage,
    AgentGateway agents,
    TunnelBroker tunnels,
    TaskLog tasks,
    InventoryNotifier notifier,
    IOptions<StorageOptions> options,
    ILogger<UploadOperations> logger,
    ILocalHostBytes? local = null)
{
    private const int ResultBytes = 64 * 1024;

    /// <summary>The agent hashes and checks the whole file after the last chunk; a large ISO takes a while.</summary>
    private static readonly TimeSpan ResultTimeout = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly ConcurrentDictionary<(Guid PoolId, string FileName), UploadSession> _sessions = new();

    /// <summary>How many bytes of the file the host holds: where the client resumes.</summary>
    public async Task<(OperationResult Result, long ReceivedBytes)> StatusAsync(Guid hostId, Guid poolId, string fileName, ClaimsPrincipal user)
    {
        var target = await files.ResolveAsync(hostId, poolId, user, Privileges.DatastoreAllocateSpace, fileName);
        if (target.Refusal is { } refusal)
        {
            return (refusal, 0);
        }

        var reply = await storage.GetUploadStatusAsync(hostId, target.Host!.Name, target.Pool!.Path, fileName);
        return reply.Result.Ok ? (OperationResult.Done("status"), reply.ReceivedBytes) : (AgentReplies.ToResult(reply.Result), 0);
    }

    /// <summary>Streams one chunk (<paramref name="body"/>, exactly <paramref name="length"/> bytes) to the host at <paramref name="offset"/>.</summary>
    public async Task<(OperationResult Result, UploadChunkResponse? Response)> ReceiveChunkAsync(
        Guid hostId, Guid poolId, string fileName, long offset, long totalBytes, string? expectedSha256, Stream body, long? length, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (totalBytes > limits.MaxUploadBytes)
        {
            return (new OperationResult(OperationStatus.TooLarge, $"'{fileName}' is {totalBytes} bytes; uploads are limited to {limits.MaxUploadBytes} bytes (Storage:MaxUploadBytes)."), null);
        }

        if (length is not { } chunkLength || chunkLength > limits.MaxChunkBytes)
        {
            return (new OperationResult(OperationStatus.Invalid, $"A chunk needs a Content-Length of at most {limits.MaxChunkBytes} bytes."), null);
        }

        if (totalBytes < 1 || offset < 0 || offset > totalBytes - chunkLength || (chunkLength == 0 && offset != totalBytes))
        {
            return (new OperationResult(OperationStatus.Invalid, $"A chunk of {chunkLength} bytes at {offset} does not fit a file of {totalBytes} bytes."), null);
        }

        expectedSha256 = string.IsNullOrWhiteSpace(expectedSha256) ? null : expectedSha256.Trim().ToLowerInvariant();
        if (expectedSha256 is not null && !Sha256Text.IsValid(expectedSha256))
        {
            return (new OperationResult(OperationStatus.Invalid, "sha256: 64 hexadecimal digits"), null);
        }

        var target = await files.ResolveAsync(hostId, poolId, user, Privileges.DatastoreAllocateSpace, fileName);
        if (target.Refusal is { } refusal)
        {
            return (refusal, null);
        }

        var (host, pool) = (target.Host!, target.Pool!);
        var session = await SessionAsync(pool, fileName, totalBytes, user);
        var isLast = offset + chunkLength == totalBytes;
        var upload = new UploadTarget(pool.Path, fileName, offset, chunkLength, totalBytes) { ExpectedSha256 = isLast ? expectedSha256 : null };

        UploadResult result;
        try
        {
            result = await RelayAsync(host, upload, body, cancellationToken);
        }
        catch (TunnelException ex)
        {
            // No byte flowed. A wrong offset is a conflict the client resolves by asking where to resume; a host that
            // was slow to dial or briefly away is worth another try (503 with where it stands); a refusal is final.
            var status = await storage.GetUploadStatusAsync(hostId, host.Name, pool.Path, fileName);
            if (status.Result.Ok && status.ReceivedBytes != offset)
            {
                return (new OperationResult(OperationStatus.Conflict, $"The upload of '{fileName}' continues at byte {status.ReceivedBytes}, not {offset}.", session.TaskId), new UploadChunkResponse(status.ReceivedBytes, false, null, null, session.TaskId));
            }

            return ex.IsTransient
                ? (new OperationResult(OperationStatus.HostFailed, ex.Message, session.TaskId), new UploadChunkResponse(offset, false, null, null, session.TaskId))
                : (new OperationResult(OperationStatus.Invalid, ex.Message, session.TaskId), null);
        }

        if (result.Complete)
        {
            await AcceptAsync(pool, fileName, result, session);
            notifier.NotifyHostChanged(hostId);
            return (OperationResult.Done($"'{fileName}' stored in pool '{pool.Name}'.", session.TaskId), new UploadChunkResponse(result.ReceivedBytes, true, result.Sha256, result.Path, session.TaskId));
        }

        if (!result.Ok && isLast && result.ReceivedBytes == 0)
        {
            // Refused at the end: the agent deleted the file. (An answer lost on the way says -1, not 0.)
            _sessions.TryRemove((pool.Id, fileName), out _);
            await tasks.FailAsync(session.TaskId, result.Error!);
            return (AgentReplies.ToResult(new Shared.Agents.AgentReply { ErrorKind = result.ErrorKind, Error = result.Error }, session.TaskId), null);
        }

        if (!result.Ok)
        {
            // Whatever broke, the host's own count is where the client goes on.
            var status = await storage.GetUploadStatusAsync(hostId, host.Name, pool.Path, fileName);
            result = result with { ReceivedBytes = status.Result.Ok ? status.ReceivedBytes : Math.Max(result.ReceivedBytes, offset) };
        }

        if (session.TakeProgressTurn())
        {
            await tasks.ReportProgressAsync(session.TaskId, (double)result.ReceivedBytes / totalBytes, CancellationToken.None);
        }

        return result.Ok
            ? (OperationResult.Done("chunk stored", session.TaskId), new UploadChunkResponse(result.ReceivedBytes, false, null, null, session.TaskId))
            : (AgentReplies.ToResult(new Shared.Agents.AgentReply { ErrorKind = result.ErrorKind, Error = result.Error }, session.TaskId), new UploadChunkResponse(result.ReceivedBytes, false, null, null, session.TaskId));
    }

    /// <summary>Gives up an unfinished upload: the host deletes what it holds, and its task fails.</summary>
    public async Task<OperationResult> DiscardAsync(Guid hostId, Guid poolId, string fileName, ClaimsPrincipal user)
    {
        var target = await files.ResolveAsync(hostId, poolId, user, Privileges.DatastoreAllocateSpace, fileName);
        if (target.Refusal is { } refusal)
        {
            return refusal;
        }

        var reply = await agents.SendAsync(hostId, target.Host!.Name, agent => agent.DiscardUpload(target.Pool!.Path, fileName));
        if (!reply.Ok)
        {
            return AgentReplies.ToResult(reply);
        }

        if (_sessions.TryRemove((poolId, fileName), out var session))
        {
            await tasks.FailAsync(session.TaskId, "The upload was discarded.");
        }

        notifier.NotifyHostChanged(hostId);
        return OperationResult.Done($"The unfinished upload of '{fileName}' was discarded.");
    }

    private async Task<UploadSession> SessionAsync(StoragePool pool, string fileName, long totalBytes, ClaimsPrincipal user)
    {
        var key = (pool.Id, fileName);
        if (_sessions.TryGetValue(key, out var session) && session.TotalBytes == totalBytes)
        {
            return session;
        }

        var task = await tasks.StartAsync("storage.upload", "pool", pool.Id.ToString(), pool.Name, Actor.NameOf(user), $"{fileName} ({totalBytes} bytes)");
        var fresh = new UploadSession(task.Id, totalBytes);
        if (session is not null && _sessions.TryUpdate(key, fresh, session))
        {
            await tasks.FailAsync(session.TaskId, $"Superseded: '{fileName}' is being uploaded again with another size.");
            return fresh;
        }

        return _sessions.GetOrAdd(key, fresh);
    }

    private async Task<UploadResult> RelayAsync(HostRecord host, UploadTarget upload, Stream body, CancellationToken cancellationToken)
    {
        if (local is not null && host.IsLocal)
        {
            // Refused as the agent refuses a tunnel for it: before a byte is read.
            if (local.CheckUpload(upload) is { } refusal)
            {
                throw new TunnelException(refusal);
            }

            UploadLog.WrittenDirectly(logger, upload.FileName, upload.Offset);
            return await local.ReceiveUploadAsync(upload, body, cancellationToken);
        }

        var socket = await tunnels.OpenAsync(host.Id, host.Name, new TunnelRequest { TunnelId = Guid.Empty, Kind = TunnelKind.Upload, Upload = upload }, cancellationToken);
        var sender = new TunnelChunkSender(socket);
        try
        {
            try
            {
                await sender.SendAsync(body, upload.Length, cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // The tunnel broke under the bytes (the agent refused the chunk, or its connection dropped):
                // the caller asks the host how much it kept.
                UploadLog.TunnelBroke(logger, upload.FileName, upload.Offset + sender.Sent, ex.Message);
                return UploadResult.Failure(Shared.Agents.AgentErrorKind.Failed, $"The tunnel to the host broke after {sender.Sent} of {upload.Length} bytes: {ex.Message}", -1);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
            {
                // The browser went away mid-chunk: closing the tunnel tells the agent to keep what arrived.
                UploadLog.ChunkCut(logger, upload.FileName, upload.Offset + sender.Sent, ex.Message);
                await CloseQuietlyAsync(socket);
                return UploadResult.Failure(Shared.Agents.AgentErrorKind.Failed, $"The request ended after {sender.Sent} of {upload.Length} bytes.", upload.Offset + sender.Sent);
            }

            if (sender.Sent < upload.Length)
            {
                await CloseQuietlyAsync(socket);
            }

            using var timeout = new CancellationTokenSource(ResultTimeout);
            var (result, lost) = await ReadResultAsync(socket, timeout.Token);
            if (result is null)
            {
                // The caller asks the host how much it kept.
                UploadLog.AnswerLost(logger, upload.FileName, upload.Offset, lost);
                return UploadResult.Failure(Shared.Agents.AgentErrorKind.Failed, $"The host's answer did not arrive: {lost}", -1);
            }

            return result;
        }
        finally
        {
            sender.Dispose();
            DisposeQuietly(socket);
        }
    }

    /// <summary>The agent's one text message, or null and why it did not come.</summary>
    private static async Task<(UploadResult? Result, string Lost)> ReadResultAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[ResultBytes];
        var length = 0;
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return (null, "the host closed the tunnel without one");
                }

                length += received.Count;
                if (received.EndOfMessage && received.MessageType == WebSocketMessageType.Text)
                {
                    return (JsonSerializer.Deserialize<UploadResult>(buffer.AsSpan(0, length), Json), "");
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException or IOException or ObjectDisposedException)
        {
            return (null, ex.Message);
        }

        return (null, $"the tunnel is {socket.State}");
    }

    // A tunnel whose HTTP request already ended throws from Dispose; it is gone either way.
    private static void DisposeQuietly(WebSocket socket)
    {
        try
        {
            socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "cut", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync(StoragePool pool, string fileName, UploadResult result, UploadSession session)
    {
        _sessions.TryRemove((pool.Id, fileName), out _);
        if (PoolFileNames.KindOf(fileName) == PoolFileKind.Iso)
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.IsoImages.Where(i => i.PoolId == pool.Id && i.FileName == fileName).ExecuteDeleteAsync();
            db.IsoImages.Add(new IsoImage { Id = Guid.NewGuid(), PoolId = pool.Id, FileName = fileName, SizeBytes = result.ReceivedBytes, Sha256 = result.Sha256, UploadedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        await tasks.AppendAsync(session.TaskId, $"Stored as {result.Path} ({result.Format}), SHA-256 {result.Sha256}.");
        await tasks.CompleteAsync(session.TaskId);
    }
}
