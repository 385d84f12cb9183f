using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Hypervisor.Storage;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// Fetches files over HTTP(S) into pools on the host, one background transfer each, through the same partial
/// file, size limit and checks as an upload. The panel follows each with <see cref="Status"/>; finished
/// transfers are kept for a while so that their result can be read. The client (<see cref="DownloadHttp"/>) reaches only
/// allowed addresses; the answer, each read and the whole transfer have their own timeouts.
/// </summary>
internal sealed class PoolDownloads(PoolTransfers transfers, HttpClient http, DownloadOptions options, ILogger logger)
{
    private static readonly TimeSpan KeepFinished = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, DownloadProgress> _downloads = new();

    /// <summary>Checks the request and starts the transfer; null when it started, else why not.</summary>
    public AgentReply Start(DownloadRequest request, CancellationToken stopping)
    {
        if (request.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, "Only http:// and https:// addresses can be downloaded.");
        }

        // Credentials in a URL would end up in logs and task details; the address is not repeated here for that reason.
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, "Addresses with a user name or password (user:password@host) cannot be downloaded.");
        }

        if (request.ExpectedSha256 is not null && !Sha256Text.IsValid(request.ExpectedSha256))
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, "The expected SHA-256 must be 64 lower-case hexadecimal digits.");
        }

        var (target, refusal) = transfers.Resolve(request.PoolPath, request.FileName);
        if (target is null)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, refusal!);
        }

        if (File.Exists(target.FinalPath))
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"'{target.FileName}' already exists in pool '{target.Pool}'.");
        }

        if (!transfers.TryClaim(target))
        {
            return AgentReply.Failure(AgentErrorKind.Conflict, $"'{target.FileName}' is being transferred by another request.");
        }

        var progress = new DownloadProgress(request.TransferId);
        if (!_downloads.TryAdd(request.TransferId, progress))
        {
            transfers.Release(target);
            return AgentReply.Failure(AgentErrorKind.Conflict, $"Transfer {request.TransferId} exists already.");
        }

        Forget(DateTimeOffset.UtcNow - KeepFinished);
        StorageLog.DownloadStarted(logger, url.GetLeftPart(UriPartial.Path), target.FinalPath);
        _ = Task.Run(() => RunAsync(request, target, progress, stopping), CancellationToken.None);
        return AgentReply.Success();
    }

    public DownloadStatus? Status(Guid transferId) => _downloads.TryGetValue(transferId, out var progress) ? progress.Snapshot() : null;

    private async Task RunAsync(DownloadRequest request, TransferTarget target, DownloadProgress progress, CancellationToken stopping)
    {
        UploadResult? result = null;
        try
        {
            // A download starts afresh: nothing of an earlier attempt is trusted.
            transfers.DeletePartial(target);
            result = await FetchAsync(request, target, progress, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or UnauthorizedAccessException or InvalidOperationException)
        {
            result = UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' failed: {ex.Message}", 0);
        }
        catch (Exception ex)
        {
            // Nobody awaits this task: an exception left to escape would only fault it, and the panel would poll for ever.
            StorageLog.DownloadCrashed(logger, target.FinalPath, ex);
            result = UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' failed: {ex.Message}", 0);
        }
        finally
        {
            // Whatever happened, the transfer ends: no partial file stays, the name is free again, and its status says how it ended.
            result ??= UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' stopped without a result.", 0);
            if (!result.Complete)
            {
                TryDeletePartial(target);
            }

            transfers.Release(target);
            progress.End(result);
            StorageLog.DownloadEnded(logger, target.FinalPath, result.Error ?? "done");
        }
    }

    private void TryDeletePartial(TransferTarget target)
    {
        try
        {
            transfers.DeletePartial(target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StorageLog.FileRefused(logger, target.PartialPath, $"the partial file could not be deleted: {ex.Message}");
        }
    }

    private async Task<UploadResult> FetchAsync(DownloadRequest request, TransferTarget target, DownloadProgress progress, CancellationToken stopping)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        total.CancelAfter(options.TotalTimeout);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
        var waitingFor = $"no answer within {options.ResponseTimeout.TotalSeconds:0} s";
        try
        {
            phase.CancelAfter(options.ResponseTimeout);
            using var response = await http.GetAsync(request.Url, HttpCompletionOption.ResponseHeadersRead, phase.Token).ConfigureAwait(false);
            phase.CancelAfter(Timeout.InfiniteTimeSpan);
            waitingFor = $"no data for {options.IdleTimeout.TotalSeconds:0} s";
            return await ReceiveAsync(request, target, progress, response, phase, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            var reason = total.IsCancellationRequested ? $"it took longer than {options.TotalTimeout}" : waitingFor;
            return UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' timed out: {reason}.", 0);
        }
        catch (HttpRequestException ex)
        {
            return UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' failed: {Reason(ex, request.Url)}", 0);
        }
        catch (UriFormatException)
        {
            // The handler parses a redirect's Location itself; one it cannot read (file:///…) is refused like any non-http redirect.
            return UploadResult.Failure(AgentErrorKind.Failed, $"Downloading '{target.FileName}' failed: a redirect pointed to an address that is not http/https, which is refused.", 0);
        }
    }

    /// <summary>
    /// What the download's error says about a failed request: a refusal as it is; any other failure before an HTTP
    /// answer (connect, TLS, a reset, something that is not HTTP) in one message, so that open ports cannot be told from closed ones.
    /// </summary>
    private static string Reason(HttpRequestException exception, Uri url)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is DownloadRefusedException refused)
            {
                return refused.Message;
            }
        }

        return $"no HTTP answer from {url.IdnHost}:{url.Port} (or a redirect's server): it could not be connected to, or did not answer HTTP.";
    }

    private async Task<UploadResult> ReceiveAsync(DownloadRequest request, TransferTarget target, DownloadProgress progress, HttpResponseMessage response, CancellationTokenSource idle, CancellationToken stopping)
    {
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            return UploadResult.Failure(AgentErrorKind.Failed, $"More than {options.MaxRedirects} redirects (or a redirect that is not http/https) for {request.Url.GetLeftPart(UriPartial.Path)}.", 0);
        }

        if (!response.IsSuccessStatusCode)
        {
            return UploadResult.Failure(AgentErrorKind.Failed, $"The server answered {(int)response.StatusCode} {response.ReasonPhrase} for {request.Url.GetLeftPart(UriPartial.Path)}.", 0);
        }

        var announced = response.Content.Headers.ContentLength;
        progress.SetTotal(announced);
        if (announced > request.MaxBytes)
        {
            return UploadResult.Failure(AgentErrorKind.Invalid, $"'{target.FileName}' is {announced} bytes, more than the limit of {request.MaxBytes}.", 0);
        }

        var free = FileSystemSpace.Of(target.Pool).FreeBytes;
        if (announced > free)
        {
            return UploadResult.Failure(AgentErrorKind.Invalid, $"Pool '{target.Pool}' has {free} bytes free; '{target.FileName}' needs {announced}.", 0);
        }

        await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
        var hash = new PartialHash();

        // One byte past the limit is read to tell "exactly the limit" from "too long". Each read must bring data within the idle timeout.
        var limit = (announced ?? request.MaxBytes) + 1;
        var written = await transfers.WriteAsync(target, 0, limit, async (buffer, ct) =>
        {
            idle.CancelAfter(options.IdleTimeout);
            var count = await body.ReadAsync(buffer, ct).ConfigureAwait(false);
            idle.CancelAfter(Timeout.InfiniteTimeSpan);
            progress.Add(count);
            return count;
        }, hash, flushToDisk: true, idle.Token).ConfigureAwait(false);

        if (written > request.MaxBytes || written == 0 || (announced is { } length && written != length))
        {
            // The partial file goes when the transfer ends (RunAsync).
            hash.Dispose();
            return UploadResult.Failure(AgentErrorKind.Invalid, written > request.MaxBytes
                ? $"'{target.FileName}' is larger than the limit of {request.MaxBytes} bytes."
                : written == 0 ? $"'{target.FileName}' is empty." : $"The server announced {announced} bytes but sent {written}.", 0);
        }

        // Handed on, so that the checks need no second pass over the file.
        transfers.KeepHash(target, hash);
        return await transfers.FinishAsync(target, written, request.ExpectedSha256, stopping).ConfigureAwait(false);
    }

    private void Forget(DateTimeOffset endedBefore)
    {
        foreach (var (id, progress) in _downloads)
        {
            if (progress.EndedAt < endedBefore)
            {
                _downloads.TryRemove(id, out _);
            }
        }
    }
}
