using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using WebVirt.Rules.Snapshots;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// Creates, inspects, converts and checks disk images with qemu-img. Every path and size is validated
/// before a process starts; arguments go to qemu-img as an argv list, never through a shell. Every
/// trusted image is opened with its format named; only <see cref="InspectUntrustedAsync"/> lets qemu
/// probe, and it never lets an image pull in another file.
/// </summary>
/// <remarks>The public face of the feature: operations on encrypted images are in QemuImg.Encrypted.cs, the parts live beside it.</remarks>
public sealed partial class QemuImg(QemuImgOptions? options = null, ILogger<QemuImg>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly QemuImgRunner _runner = new(
        string.IsNullOrWhiteSpace(options?.Path) ? "qemu-img" : options.Path,
        new QemuImgConfinement(options ?? new QemuImgOptions()),
        (ILogger?)logger ?? NullLogger.Instance);

    /// <summary>Creates an empty image; an existing file is never overwritten.</summary>
    public Task CreateAsync(string path, DiskFormat format, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequireFormat(format, nameof(format));
        ImageArgumentRules.RequireSize(sizeBytes, nameof(sizeBytes));
        return CreateNewFileAsync("create", path, QemuImgArguments.Create(path, format, sizeBytes), cancellationToken);
    }

    /// <summary>Creates a qcow2 overlay on <paramref name="backingPath"/>, which it records by its absolute path.</summary>
    public Task CreateLinkedCloneAsync(
        string path, string backingPath, DiskFormat backingFormat, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequirePath(backingPath, nameof(backingPath));
        ImageArgumentRules.RequireFormat(backingFormat, nameof(backingFormat));
        if (SamePath(path, backingPath))
        {
            throw new ArgumentException("A linked clone cannot be its own backing file.", nameof(backingPath));
        }

        return CreateNewFileAsync(
            "create", path, QemuImgArguments.CreateLinkedClone(path, backingPath, backingFormat), cancellationToken);
    }

    /// <param name="format">The image's format; null lets qemu probe, which only trusted images may do.</param>
    /// <param name="forceShare">Read an image a running VM holds locked (-U); the view may be inconsistent.</param>
    public Task<ImageInfo> InfoAsync(
        string path, DiskFormat? format = null, bool forceShare = false, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        if (format is { } known)
        {
            ImageArgumentRules.RequireFormat(known, nameof(format));
        }

        return InfoCoreAsync(path, QemuImgArguments.Info(path, format, forceShare), cancellationToken);
    }

    /// <summary>Grows the virtual disk. Shrinking is refused before qemu-img runs: it would cut off guest data.</summary>
    public Task ResizeAsync(string path, DiskFormat format, long newSizeBytes, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequireFormat(format, nameof(format));
        ImageArgumentRules.RequireSize(newSizeBytes, nameof(newSizeBytes));

        var current = ImageSizeReader.ReadVirtualSize(path, format);
        if (newSizeBytes < current)
        {
            throw new ArgumentException(
                $"Refusing to shrink {path} from {current} to {newSizeBytes} bytes: only growing is supported, "
                + "shrinking would cut off the end of the disk.",
                nameof(newSizeBytes));
        }

        return newSizeBytes == current
            ? Task.CompletedTask
            : _runner.RunCheckedAsync("resize", path, QemuImgArguments.Resize(path, format, newSizeBytes), null, cancellationToken);
    }

    /// <summary>
    /// Writes a compressed copy of a qcow2 image to <paramref name="destination"/> (a new file, written under a
    /// temporary name and renamed when whole). An image with a backing file stays an overlay on
    /// <paramref name="backingFile"/> rather than being flattened. Encrypted images cannot be compressed (qcow2
    /// does not combine the two) and internal snapshots are not copied: the caller refuses both.
    /// </summary>
    public Task CompressAsync(
        string source,
        string destination,
        string? backingFile,
        DiskFormat? backingFormat,
        IProgress<double>? progress,
        CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(source, nameof(source));
        ImageArgumentRules.RequirePath(destination, nameof(destination));
        if (backingFile is not null)
        {
            ImageArgumentRules.RequirePath(backingFile, nameof(backingFile));
        }

        if (SamePath(source, destination))
        {
            throw new ArgumentException("Source and destination are the same file.", nameof(destination));
        }

        return ConvertToNewFileAsync(
            destination, partial => QemuImgArguments.Compress(source, partial, backingFile, backingFormat), progress, cancellationToken);
    }

    /// <summary>
    /// Copies an image into a new file, flattening any backing chain. The copy is written under a temporary
    /// name beside <paramref name="destination"/> and renamed when complete, so the destination either does
    /// not exist or is whole; a failed or cancelled copy leaves nothing behind.
    /// </summary>
    /// <param name="compress">Compress clusters (qcow2 destinations only).</param>
    /// <param name="progress">Percentages from 0 to 100, rising, ending at 100 when the copy succeeds.</param>
    public Task ConvertAsync(
        string source,
        DiskFormat sourceFormat,
        string destination,
        DiskFormat destinationFormat,
        bool compress,
        IProgress<double>? progress,
        CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(source, nameof(source));
        ImageArgumentRules.RequireFormat(sourceFormat, nameof(sourceFormat));
        ImageArgumentRules.RequirePath(destination, nameof(destination));
        ImageArgumentRules.RequireFormat(destinationFormat, nameof(destinationFormat));
        if (SamePath(source, destination))
        {
            throw new ArgumentException("Source and destination are the same file.", nameof(destination));
        }

        if (compress && destinationFormat != DiskFormat.Qcow2)
        {
            throw new ArgumentException("Compression needs a qcow2 destination: raw images cannot hold compressed data.", nameof(compress));
        }

        return ConvertCoreAsync(source, sourceFormat, destination, destinationFormat, compress, progress, cancellationToken);
    }

    /// <summary>Checks the image's metadata. Corruption and leaks are reported in the result, not thrown.</summary>
    public Task<ImageCheckResult> CheckAsync(string path, DiskFormat format, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        ImageArgumentRules.RequireFormat(format, nameof(format));
        return CheckCoreAsync(path, QemuImgArguments.Check(path, format), cancellationToken);
    }

    /// <summary>Internal snapshots, which only qcow2 can hold, so the image is opened as qcow2.</summary>
    public async Task<IReadOnlyList<ImageSnapshot>> ListSnapshotsAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = await InfoAsync(path, DiskFormat.Qcow2, forceShare: false, cancellationToken).ConfigureAwait(false);
        return info.Snapshots;
    }

    /// <summary>Creates, reverts to or deletes an internal snapshot of a qcow2 image that no running VM holds.</summary>
    public Task SnapshotAsync(string path, ImageSnapshotAction action, string tag, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        if (WebVirt.Rules.Snapshots.SnapshotNameRules.Check(tag) is { } problem)
        {
            throw new ArgumentException($"Snapshot name {problem}.", nameof(tag));
        }

        return _runner.RunCheckedAsync("snapshot", path, QemuImgArguments.Snapshot(path, action, tag), null, cancellationToken);
    }

    /// <summary>
    /// Identifies an uploaded image and refuses anything unsafe to attach: formats other than raw (ISO is raw)
    /// and qcow2, a backing file or external data file, encryption, a corrupt or empty image, or one larger
    /// than 64 TiB. The format is probed, never taken from the file name: a ".iso" holding qcow2 is reported as
    /// qcow2 and the caller decides. No backing chain is followed and no file the image names is opened.
    /// </summary>
    public Task<ImageInfo> InspectUntrustedAsync(string path, CancellationToken cancellationToken = default)
    {
        ImageArgumentRules.RequirePath(path, nameof(path));
        return InspectUntrustedCoreAsync(path, cancellationToken);
    }

    private async Task<ImageInfo> InspectUntrustedCoreAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            UntrustedImageScreen.Check(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageException($"Image {path} refused: it cannot be read: {ex.Message}", ex);
        }
        catch (ImageException ex)
        {
            QemuImgLog.UntrustedRefused(_logger, ex.Message);
            throw;
        }

        ImageInfo info;
        using (_runner.Confinement.Account is { } account ? UntrustedFileLease.Lend(path, account) : null)
        {
            info = await InfoCoreAsync(path, QemuImgArguments.ProbeInfo(path), cancellationToken, confined: true).ConfigureAwait(false);
        }

        if (UntrustedImagePolicy.FindViolation(info) is { } reason)
        {
            var message = $"Image {path} refused: {reason}.";
            QemuImgLog.UntrustedRefused(_logger, message);
            throw new ImageException(message);
        }

        return info;
    }

    private async Task<ImageInfo> InfoCoreAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool confined = false)
    {
        var result = await _runner.RunCheckedAsync("info", path, arguments, null, cancellationToken, confined).ConfigureAwait(false);
        try
        {
            return ImageInfoParser.Parse(result.StandardOutput);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImageException($"qemu-img info for {path} printed output that is not the expected JSON: {ex.Message}", ex);
        }
    }

    private async Task<ImageCheckResult> CheckCoreAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("check", path, arguments, null, cancellationToken).ConfigureAwait(false);
        switch (result.ExitCode)
        {
            case CheckExitCodes.Clean or CheckExitCodes.Corrupt or CheckExitCodes.Leaks:
                try
                {
                    return ImageCheckParser.Parse(result.StandardOutput, result.StandardError.Trim());
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
                {
                    throw new ImageException($"qemu-img check for {path} printed output that is not the expected JSON: {ex.Message}", ex);
                }

            case CheckExitCodes.NotSupported:
                return new ImageCheckResult { IsSupported = false, Details = QemuImgErrors.Describe(result, path) };
            default:
                throw _runner.Fail("check", path, result);
        }
    }

    private Task ConvertCoreAsync(
        string source,
        DiskFormat sourceFormat,
        string destination,
        DiskFormat destinationFormat,
        bool compress,
        IProgress<double>? progress,
        CancellationToken cancellationToken) =>
        ConvertToNewFileAsync(
            destination,
            partial => QemuImgArguments.Convert(source, sourceFormat, partial, destinationFormat, compress),
            progress,
            cancellationToken);

    private async Task ConvertToNewFileAsync(
        string destination,
        Func<string, IReadOnlyList<string>> argumentsFor,
        IProgress<double>? progress,
        CancellationToken cancellationToken)
    {
        if (File.Exists(destination) || Directory.Exists(destination))
        {
            throw new ImageException($"qemu-img convert refused for {destination}: the destination already exists.");
        }

        // Same directory, so the final rename stays on one file system and is atomic.
        var partial = Path.Combine(
            Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        var reported = -1.0;
        void OnOutput(string segment)
        {
            if (progress is not null && ConvertProgressParser.TryParse(segment, out var percent) && percent > reported)
            {
                reported = percent;
                progress.Report(percent);
            }
        }

        try
        {
            await _runner.RunCheckedAsync("convert", destination, argumentsFor(partial), OnOutput, cancellationToken).ConfigureAwait(false);
            File.Move(partial, destination, overwrite: false);
        }
        catch
        {
            _runner.TryDelete(partial);
            throw;
        }

        if (reported < 100)
        {
            progress?.Report(100);
        }
    }

    /// <summary>
    /// Claims <paramref name="path"/> with an exclusive create first, so an existing image is never overwritten
    /// (qemu-img create truncates without asking) and a failed or cancelled create removes only its own file.
    /// </summary>
    private async Task CreateNewFileAsync(
        string operation, string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1).Dispose();
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new ImageException($"qemu-img {operation} failed for {path}: its directory does not exist.", ex);
        }
        catch (IOException ex) when (File.Exists(path) || Directory.Exists(path))
        {
            throw new ImageException($"qemu-img {operation} refused for {path}: the file already exists.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageException($"qemu-img {operation} failed for {path}: {ex.Message}", ex);
        }

        try
        {
            await _runner.RunCheckedAsync(operation, path, arguments, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _runner.TryDelete(path);
            throw;
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
