using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Images;

/// <summary>Runs qemu-img for one operation on one image, logging what ran and how it ended.</summary>
internal sealed class QemuImgRunner(string executable, QemuImgConfinement confinement, ILogger logger)
{
    public QemuImgConfinement Confinement => confinement;

    /// <param name="confined">Whether qemu-img reads an untrusted image: it then runs under <see cref="QemuImgConfinement"/>.</param>
    public async Task<QemuImgResult> RunCheckedAsync(
        string operation, string path, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken, bool confined = false)
    {
        var result = await RunAsync(operation, path, arguments, onOutput, cancellationToken, confined).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw Fail(operation, path, result);
    }

    public async Task<QemuImgResult> RunAsync(
        string operation, string path, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken, bool confined = false)
    {
        QemuImgLog.Running(logger, arguments);
        var started = Stopwatch.GetTimestamp();
        var (program, argv) = confined ? confinement.Wrap(executable, arguments) : (executable, arguments);
        try
        {
            var result = await QemuImgProcess.RunAsync(program, argv, onOutput, cancellationToken).ConfigureAwait(false);
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
