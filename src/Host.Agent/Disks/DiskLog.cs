using Microsoft.Extensions.Logging;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

internal static partial class DiskLog
{
    [LoggerMessage(3450, LogLevel.Information, "VM {Uuid}: disk {DiskId} added ({Source}) at {Path}, hot-plugged: {Live}")]
    public static partial void Added(ILogger logger, Guid uuid, string diskId, string source, string path, bool live);

    [LoggerMessage(3451, LogLevel.Information, "VM {Uuid}: disk {DiskId} detached ({Path}), hot-unplugged: {Live}, image deleted: {Deleted}")]
    public static partial void Detached(ILogger logger, Guid uuid, string diskId, string path, bool live, bool deleted);

    [LoggerMessage(3452, LogLevel.Information, "VM {Uuid}: disk {DiskId} kept {Path}: {Reason}")]
    public static partial void ImageKept(ILogger logger, Guid uuid, string diskId, string path, string reason);

    [LoggerMessage(3453, LogLevel.Information, "VM {Uuid}: disk {DiskId} grown from {OldBytes} to {NewBytes} bytes, live: {Live}")]
    public static partial void Resized(ILogger logger, Guid uuid, string diskId, long oldBytes, long newBytes, bool live);

    [LoggerMessage(3454, LogLevel.Information, "VM {Uuid}: disk {DiskId} moved from {From} to {To} ({Format}), source deleted: {Deleted}")]
    public static partial void Moved(ILogger logger, Guid uuid, string diskId, string from, string to, DiskFormat format, bool deleted);

    [LoggerMessage(3455, LogLevel.Information, "VM {Uuid}: disk {DiskId} compressed, {BeforeBytes} bytes on the host before, {AfterBytes} after")]
    public static partial void Compressed(ILogger logger, Guid uuid, string diskId, long beforeBytes, long afterBytes);

    [LoggerMessage(3456, LogLevel.Information, "VM {Uuid}: I/O limits of disk {DiskId} set to {Limits}, live: {Live}")]
    public static partial void LimitsSet(ILogger logger, Guid uuid, string diskId, string limits, bool live);

    [LoggerMessage(3457, LogLevel.Warning, "VM {Uuid}: rolling back disk {DiskId} failed: {Reason}")]
    public static partial void RollbackFailed(ILogger logger, Guid uuid, string diskId, string reason);

    [LoggerMessage(3458, LogLevel.Warning, "VM {Uuid}: disk {DiskId} is out of the guest, but QEMU kept a node of it until the VM stops: {Reason}")]
    public static partial void NodesLeft(ILogger logger, Guid uuid, string diskId, string reason);
}
