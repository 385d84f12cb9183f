using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Images;

internal static partial class QemuImgLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "Running qemu-img {Arguments}")]
    public static partial void Running(ILogger logger, IReadOnlyList<string> arguments);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "qemu-img {Operation} for {Path} exited with {ExitCode} after {ElapsedMilliseconds} ms")]
    public static partial void Exited(ILogger logger, string operation, string path, int exitCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "qemu-img {Operation} failed for {Path} with exit code {ExitCode}: {Error}")]
    public static partial void Failed(ILogger logger, string operation, string path, int exitCode, string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "qemu-img {Operation} for {Path} was cancelled")]
    public static partial void Cancelled(ILogger logger, string operation, string path);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Could not remove the partial output {Path}")]
    public static partial void CleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Untrusted image refused: {Reason}")]
    public static partial void UntrustedRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "qemu-img {Operation} for {Path} failed on attempt {Attempt} and is retried: {Error}")]
    public static partial void Retrying(ILogger logger, string operation, string path, int attempt, string error);
}
