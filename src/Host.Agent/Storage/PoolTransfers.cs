using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Storage;
using WebVirt.Rules.Storage;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// Brings files into pools, by upload chunks or downloads: each writes to <c>&lt;pool&gt;/.partial/&lt;name&gt;</c>
/// (at most one writer per file), with memory bounded by one buffer whatever the file's size; the last byte
/// triggers the checks (SHA-256 when the user gave one, then <see cref="UploadedFileCheck"/>), after which the
/// file is renamed into the pool, or deleted, so that a refused file leaves nothing behind.
/// </summary>
internal sealed class PoolTransfers(PoolRegistry pools, QemuImg qemuImg, VmSupervisor supervisor, ILogger logger)
{
    private const int BufferBytes = 1 << 20;
    private readonly ConcurrentDictionary<string, byte> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PartialHash> _hashes = new(StringComparer.Ordinal);

    public (TransferTarget? Target, string? Refusal) Resolve(string? poolPath, string? fileName)
    {
        if (pools.Find(poolPath) is not { } pool)
        {
            return (null, $"'{poolPath}' is not a storage pool of this host.");
        }

        return PoolFileNames.CheckTransferable(fileName) is { } refusal ? (null, refusal) : (TransferTarget.In(pool, fileName!), null);
    }

    public static long PartialLength(TransferTarget target) => new FileInfo(target.PartialPath) is { Exists: true, LinkTarget: null } file ? file.Length : 0;

    /// <summary>Whether a transfer into <paramref name="pool"/> is running now.</summary>
    public bool IsBusy(string pool) => _claims.Keys.Any(k => PoolPaths.IsInside(k, pool));

    /// <summary>Null when the chunk may be received, else the refusal to answer with (nothing is written).</summary>
    public UploadResult? Check(UploadTarget? upload)
    {
        if (upload is null)
        {
            return UploadResult.Failure(AgentErrorKind.Invalid, "The upload target is missing.", 0);
        }

        var (target, refusal) = Resolve(upload.PoolPath, upload.FileName);
        return target is null ? UploadResult.Failure(AgentErrorKind.Invalid, refusal!, 0) : CheckChunk(target, upload);
    }

    /// <summary>Receives one chunk of an upload from <paramref name="read"/>; with the last chunk, checks the file and moves it into the pool.</summary>
    public async Task<UploadResult> ReceiveAsync(UploadTarget upload, ChunkReader read, CancellationToken cancellationToken)
    {
        if (Check(upload) is { } refusal)
        {
            return refusal;
        }

        var target = Resolve(upload.PoolPath, upload.FileName).Target!;
        if (!TryClaim(target))
        {
            return UploadResult.Failure(AgentErrorKind.Conflict, $"'{target.FileName}' is being transferred by another request.", PartialLength(target));
        }

        try
        {
            // Checked again under the claim: another chunk may have ended between the first check and now.
            if (CheckChunk(target, upload) is { } late)
            {
                return late;
            }

            var hash = TakeHash(target, upload.Offset);
            long written;
            try
            {
                written = await WriteAsync(target, upload.Offset, upload.Length, read, hash, upload.Offset + upload.Length == upload.TotalLength, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.WebSockets.WebSocketException or OperationCanceledException or UnauthorizedAccessException)
            {
                // What reached the file stays, for a resume; the hash is rebuilt from the file at the end.
                hash?.Dispose();
                var held = PartialLength(target);
                StorageLog.ChunkInterrupted(logger, target.PartialPath, held, ex.Message);
                return UploadResult.Failure(AgentErrorKind.Failed, $"The upload of '{target.FileName}' was interrupted at byte {held}: {ex.Message}", held);
            }

            var received = upload.Offset + written;
            if (hash is not null)
            {
                _hashes[target.PartialPath] = hash;
            }

            if (written < upload.Length)
            {
                return UploadResult.Failure(AgentErrorKind.Failed, $"The chunk ended after {written} of {upload.Length} bytes; resume at byte {received}.", received);
            }

            return received < upload.TotalLength
                ? new UploadResult { ReceivedBytes = received }
                : await FinishAsync(target, upload.TotalLength, upload.ExpectedSha256, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release(target);
        }
    }

    /// <summary>
    /// Waits (briefly) until no transfer writes the file: a client that asks where to resume right after its
    /// request broke off must hear the length the file will keep, not one the ending writer is still extending.
    /// </summary>
    public async Task<bool> WaitUntilIdleAsync(TransferTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_claims.ContainsKey(target.PartialPath))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Claims the file for one writer; false while another transfer writes it.</summary>
    public bool TryClaim(TransferTarget target) => _claims.TryAdd(target.PartialPath, 0);

    public void Release(TransferTarget target) => _claims.TryRemove(target.PartialPath, out _);

    /// <summary>
    /// Copies up to <paramref name="length"/> bytes from <paramref name="read"/> to the partial file at
    /// <paramref name="offset"/>; returns how many arrived. The caller holds the claim.
    /// </summary>
    public async Task<long> WriteAsync(
        TransferTarget target, long offset, long length, ChunkReader read, PartialHash? hash, bool flushToDisk, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(target.PartialPath)!;
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (new FileInfo(target.PartialPath).LinkTarget is not null || new DirectoryInfo(folder).LinkTarget is not null)
        {
            throw new IOException($"{target.PartialPath} is a symbolic link.");
        }

        // The finished file is checked by qemu-img as the unprivileged image-check account, in the QEMU group.
        supervisor.LetQemuGroupPass(folder);

        await using var file = new FileStream(target.PartialPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        if (file.Length != offset)
        {
            throw new IOException($"{target.PartialPath} holds {file.Length} bytes, not {offset}.");
        }

        file.Position = offset;
        var written = await BlockCopy.CopyAsync(read, file, length, hash, cancellationToken).ConfigureAwait(false);
        if (flushToDisk)
        {
            file.Flush(flushToDisk: true);
        }

        return written;
    }

    /// <summary>The running hash for a file continued at <paramref name="offset"/>, or null when the agent lost it (rebuilt at the end).</summary>
    public PartialHash? TakeHash(TransferTarget target, long offset)
    {
        if (_hashes.TryRemove(target.PartialPath, out var kept))
        {
            if (kept.Length == offset)
            {
                return kept;
            }

            kept.Dispose();
        }

        return offset == 0 ? new PartialHash() : null;
    }

    /// <summary>Keeps the hash of a partial file's bytes for <see cref="FinishAsync"/>.</summary>
    public void KeepHash(TransferTarget target, PartialHash hash)
    {
        if (_hashes.TryRemove(target.PartialPath, out var old))
        {
            old.Dispose();
        }

        _hashes[target.PartialPath] = hash;
    }

    /// <summary>Checks the complete partial file, then renames it into the pool; a refused file is deleted. The caller holds the claim.</summary>
    public async Task<UploadResult> FinishAsync(TransferTarget target, long totalLength, string? expectedSha256, CancellationToken cancellationToken)
    {
        try
        {
            var sha256 = _hashes.TryRemove(target.PartialPath, out var hash) && hash.Length == totalLength
                ? hash.Finish()
                : await HashFileAsync(target.PartialPath, cancellationToken).ConfigureAwait(false);
            hash?.Dispose();

            if (expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                return Refuse(target, AgentErrorKind.Invalid, $"'{target.FileName}' was refused: its SHA-256 is {sha256}, not the expected {expectedSha256.ToLowerInvariant()}.");
            }

            var (format, refusal) = await UploadedFileCheck.CheckAsync(qemuImg, target.PartialPath, target.FileName, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return Refuse(target, AgentErrorKind.Invalid, refusal);
            }

            // Readable by the VMs' QEMU (it may become any VM's CD-ROM or read-only disk), by no other user.
            supervisor.ShareWithQemu(target.PartialPath);
            try
            {
                // Never over an existing file: Move without overwrite links and unlinks, failing if the name is taken.
                File.Move(target.PartialPath, target.FinalPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(target.FinalPath))
            {
                return Refuse(target, AgentErrorKind.Conflict, $"'{target.FileName}' already exists in pool '{target.Pool}'.");
            }

            StorageLog.FileAccepted(logger, target.FinalPath, totalLength, format!, sha256);
            return new UploadResult { ReceivedBytes = totalLength, Complete = true, Sha256 = sha256, Format = format, Path = target.FinalPath };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImageException or OperationCanceledException)
        {
            return Refuse(target, AgentErrorKind.Failed, $"'{target.FileName}' could not be checked: {ex.Message}");
        }
    }

    /// <summary>Deletes what an unfinished transfer left; refused while one writes it.</summary>
    public string? Discard(TransferTarget target)
    {
        if (!TryClaim(target))
        {
            return $"'{target.FileName}' is being transferred right now.";
        }

        try
        {
            DeletePartial(target);
            return null;
        }
        finally
        {
            Release(target);
        }
    }

    private UploadResult? CheckChunk(TransferTarget target, UploadTarget upload)
    {
        var held = PartialLength(target);
        if (upload.TotalLength <= 0 || upload.Offset < 0 || upload.Length < 0 || upload.Offset > upload.TotalLength - upload.Length)
        {
            return UploadResult.Failure(AgentErrorKind.Invalid, $"A chunk of {upload.Length} bytes at {upload.Offset} does not fit a file of {upload.TotalLength} bytes.", held);
        }

        if (upload.ExpectedSha256 is not null && !Sha256Text.IsValid(upload.ExpectedSha256))
        {
            return UploadResult.Failure(AgentErrorKind.Invalid, "The expected SHA-256 must be 64 lower-case hexadecimal digits.", held);
        }

        if (File.Exists(target.FinalPath) || Directory.Exists(target.FinalPath) || new FileInfo(target.FinalPath).LinkTarget is not null)
        {
            return UploadResult.Failure(AgentErrorKind.Conflict, $"'{target.FileName}' already exists in pool '{target.Pool}'.", held);
        }

        if (upload.Offset != held)
        {
            return UploadResult.Failure(AgentErrorKind.Conflict, $"The upload of '{target.FileName}' continues at byte {held}, not {upload.Offset}.", held);
        }

        var free = FileSystemSpace.Of(target.Pool).FreeBytes;
        return upload.TotalLength - held > free
            ? UploadResult.Failure(AgentErrorKind.Invalid, $"Pool '{target.Pool}' has {Bytes(free)} free; '{target.FileName}' needs {Bytes(upload.TotalLength - held)} more.", held)
            : null;
    }

    private UploadResult Refuse(TransferTarget target, AgentErrorKind kind, string reason)
    {
        DeletePartial(target);
        StorageLog.FileRefused(logger, target.FinalPath, reason);
        return UploadResult.Failure(kind, reason, 0);
    }

    /// <summary>Deletes the partial file and its kept hash, if any. The caller holds the claim.</summary>
    public void DeletePartial(TransferTarget target)
    {
        if (_hashes.TryRemove(target.PartialPath, out var hash))
        {
            hash.Dispose();
        }

        try
        {
            File.Delete(target.PartialPath);
        }
        catch (DirectoryNotFoundException)
        {
            // The pool's .partial folder appears with its first transfer: without it there is nothing to delete.
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }

    private static string Bytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");
}
