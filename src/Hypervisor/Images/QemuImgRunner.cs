using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Images;

/// <summary>Runs qemu-img for one operation on one image, logging what ran and how it ended.</summary>
internal sealed class QemuImgRunner(string executable, ILogger logger)
{
    public async Task<QemuImgResult> RunCheckedAsync(
        string operation, string path, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken)
    {
        var result = await RunAsync(operation, path, arguments, onOutput, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw Fail(operation, path, result);
    }

    public async Task<QemuImgResult> RunAsync(
        string operation, string path, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken)
    {
        QemuImgLog.Running(logger, arguments);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await QemuImgProcess.RunAsync(executable, arguments, onOutput, cancellationToken).ConfigureAwait(false);
            QemuImgLog.Exited(logger, operation, path, result.ExitCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (OperationCanceledException)
        {
            QemuImgLog.Cancelled(logger, operation, path);
            throw;
        }
    }

    public ImageException Fail(string operation, string path, QemuImgResult result)
    {
        var exception = QemuImgErrors.Failed(operation, path, result);
        QemuImgLog.Failed(logger, operation, path, result.ExitCode, exception.Message);
        return exception;
    }

    public void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            QemuImgLog.CleanupFailed(logger, path, ex);
        }
    }
}
