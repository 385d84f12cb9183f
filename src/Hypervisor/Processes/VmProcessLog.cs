using Microsoft.Extensions.Logging;

namespace WebVirt.Hypervisor.Processes;

internal static partial class VmProcessLog
{
    [LoggerMessage(1001, LogLevel.Information, "VM {Uuid}: QEMU started as pid {Pid} ({Accelerator}), {Cgroup}")]
    public static partial void Started(ILogger logger, Guid uuid, int pid, string accelerator, string cgroup);

    [LoggerMessage(1002, LogLevel.Information, "VM {Uuid}: attached to running QEMU pid {Pid}")]
    public static partial void Attached(ILogger logger, Guid uuid, int pid);

    [LoggerMessage(1003, LogLevel.Information, "VM {Uuid}: QEMU ended: {Description}")]
    public static partial void Exited(ILogger logger, Guid uuid, string description);

    [LoggerMessage(1004, LogLevel.Information, "VM {Uuid}: state {State} (QEMU {QemuStatus}, {Reason})")]
    public static partial void StateChanged(ILogger logger, Guid uuid, WebVirt.Shared.Vms.VmPowerState state, string qemuStatus, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "VM {Uuid}: QMP connection lost while QEMU pid {Pid} still runs; reconnecting")]
    public static partial void QmpLost(ILogger logger, Guid uuid, int pid);

    [LoggerMessage(1006, LogLevel.Warning, "VM {Uuid}: graceful shutdown timed out after {Timeout}; stopping hard")]
    public static partial void ShutdownTimedOut(ILogger logger, Guid uuid, TimeSpan timeout);

    [LoggerMessage(1007, LogLevel.Warning, "VM {Uuid}: QEMU did not quit; sending SIGKILL to pid {Pid}")]
    public static partial void Killing(ILogger logger, Guid uuid, int pid);

    [LoggerMessage(1008, LogLevel.Warning, "VM {Uuid}: could not ask QEMU to quit after the guest powered off")]
    public static partial void QuitAfterShutdownFailed(ILogger logger, Guid uuid, Exception exception);

    [LoggerMessage(1009, LogLevel.Warning, "VM {Uuid}: found a stale run folder (pid {Pid} is gone); cleaning it up")]
    public static partial void StaleRunFolder(ILogger logger, Guid uuid, int? pid);
}
