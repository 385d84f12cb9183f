using Microsoft.Extensions.Logging;

namespace WebVirt.Host.Agent.Hosts;

internal static partial class HostFactsLog
{
    [LoggerMessage(3201, LogLevel.Warning, "Could not read the QEMU version from {QemuBinary} --version")]
    public static partial void QemuVersionUnknown(ILogger logger, string qemuBinary, Exception exception);

    [LoggerMessage(3202, LogLevel.Warning, "Could not measure the storage of the image pool {ImagePool}")]
    public static partial void StorageUnknown(ILogger logger, string imagePool, Exception exception);
}
