using WebVirt.Rules.Snapshots;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

// LUKS-encrypted qcow2: every operation reads the key from a secret file, never from a command line.
public sealed partial class QemuImg
{
    /// <summary>
    /// Creates a LUKS-encrypted qcow2. qemu reads the passphrase from <paramref name="secretFile"/> byte for
    /// byte (a trailing newline is part of it); it never appears on a command line.
    /// </summary>
    public Task CreateEncryptedAsync(
        string path, long sizeBytes, string secretFile, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequireSize(sizeBytes, nameof(sizeBytes));
        RequireSecretFile("create", path, secretFile);
        return CreateEncryptedCoreAsync(path, QemuImgArguments.CreateEncrypted(path, sizeBytes, secretFile), cancellationToken);
    }

    /// <summary>
    /// Creates an encrypted qcow2 overlay on the encrypted qcow2 <paramref name="backingPath"/>, with the same key
    /// (<paramref name="secretFile"/>): data the clone writes is encrypted as its template's is.
    /// </summary>
    public Task CreateEncryptedLinkedCloneAsync(string path, string backingPath, string secretFile, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequirePath(backingPath, nameof(backingPath));
        RequireSecretFile("create", path, secretFile);
        if (SamePath(path, backingPath))
        {
            throw new ArgumentException("A linked clone cannot be its own backing file.", nameof(backingPath));
        }

        return CreateEncryptedCoreAsync(path, QemuImgArguments.CreateEncryptedLinkedClone(path, backingPath, secretFile), cancellationToken);
    }

    /// <summary>Grows a LUKS-encrypted qcow2, whose key qemu-img reads from <paramref name="secretFile"/>. Shrinking is refused.</summary>
    public Task ResizeEncryptedAsync(string path, long newSizeBytes, string secretFile, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequireSize(newSizeBytes, nameof(newSizeBytes));
        ImageArgumentRules.RequirePath(secretFile, nameof(secretFile));
        var current = ImageSizeReader.ReadVirtualSize(path, DiskFormat.Qcow2);
        if (newSizeBytes <= current)
        {
            throw new ArgumentException($"Refusing to resize {path} from {current} to {newSizeBytes} bytes: only growing is supported.", nameof(newSizeBytes));
        }

        return _runner.RunCheckedAsync("resize", path, QemuImgArguments.ResizeEncrypted(path, newSizeBytes, secretFile), null, cancellationToken);
    }

    /// <summary>
    /// Copies an encrypted qcow2 (and its encrypted backing chain, flattened) into a new qcow2 encrypted with the same key,
    /// through a temporary name as <see cref="ConvertAsync"/> does. Not compressed: qcow2 cannot hold compressed and
    /// encrypted clusters together, so the copy is sparse (unallocated clusters take no space).
    /// </summary>
    public Task ConvertEncryptedAsync(
        string source, string destination, string secretFile, IProgress<double>? progress, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(source, nameof(source));
        ImageArgumentRules.RequirePath(destination, nameof(destination));
        RequireSecretFile("convert", destination, secretFile);
        if (SamePath(source, destination))
        {
            throw new ArgumentException("Source and destination are the same file.", nameof(destination));
        }

        return RetryLuksTimingFlakeAsync(
            "convert",
            destination,
            () => ConvertToNewFileAsync(destination, partial => QemuImgArguments.ConvertEncrypted(source, partial, secretFile), progress, cancellationToken));
    }

    /// <summary>Checks an encrypted qcow2, which qemu opens only with its key (<paramref name="secretFile"/>).</summary>
    public Task<ImageCheckResult> CheckEncryptedAsync(string path, string secretFile, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        RequireSecretFile("check", path, secretFile);
        return CheckCoreAsync(path, QemuImgArguments.CheckEncrypted(path, secretFile), cancellationToken);
    }

    /// <summary>As <see cref="SnapshotAsync"/>, for an encrypted qcow2, which qemu opens only with its key.</summary>
    public Task SnapshotEncryptedAsync(string path, ImageSnapshotAction action, string tag, string secretFile, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        RequireSecretFile("snapshot", path, secretFile);
        if (WebVirt.Rules.Snapshots.SnapshotNameRules.Check(tag) is { } problem)
        {
            throw new ArgumentException($"Snapshot name {problem}.", nameof(tag));
        }

        return _runner.RunCheckedAsync("snapshot", path, QemuImgArguments.SnapshotEncrypted(path, action, tag, secretFile), null, cancellationToken);
    }

    private static void RequireSecretFile(string operation, string path, string secretFile)
    {
        ImageArgumentRules.RequirePath(secretFile, nameof(secretFile));
        var secret = new FileInfo(secretFile);
        if (!secret.Exists)
        {
            throw new ImageException($"qemu-img {operation} refused for {path}: the secret file {secretFile} does not exist.");
        }

        // qemu-img accepts an empty passphrase, which would encrypt with a key anyone can guess.
        if (secret.Length == 0)
        {
            throw new ImageException($"qemu-img {operation} refused for {path}: the secret file {secretFile} is empty.");
        }
    }

    private Task CreateEncryptedCoreAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RetryLuksTimingFlakeAsync("create", path, () => CreateNewFileAsync("create", path, arguments, cancellationToken));

    /// <summary>
    /// qemu 7.2 times its LUKS key derivation with the thread's CPU clock; when the first timing round ends
    /// within one clock tick it fails with "Unable to get accurate CPU usage" although nothing is wrong. Any
    /// operation that writes a new LUKS header (create, convert to an encrypted target) can hit it, and leaves
    /// nothing behind when it does. New headers use SHA-512, whose first round spans several ticks, which makes it rare
    /// (see <see cref="QemuImgArguments"/>); that failure alone is still retried.
    /// </summary>
    private async Task RetryLuksTimingFlakeAsync(string operation, string path, Func<Task> run)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await run().ConfigureAwait(false);
                return;
            }
            catch (ImageException ex) when (
                attempt < Attempts
                && (ex.StandardError ?? ex.Message).Contains("Unable to get accurate CPU usage", StringComparison.Ordinal))
            {
                QemuImgLog.Retrying(_logger, operation, path, attempt, ex.Message);
            }
        }
    }
}
