using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Processes;

/// <summary>Maps QEMU's run states (query-status) to the states users see.</summary>
internal static class QemuRunStates
{
    public static VmPowerState ToPowerState(string qemuStatus) => qemuStatus switch
    {
        "running" => VmPowerState.Running,
        "paused" or "suspended" or "debug" or "io-error" or "watchdog" or "save-vm" or "restore-vm" or "colo" => VmPowerState.Paused,
        "prelaunch" => VmPowerState.Starting,
        "inmigrate" or "finish-migrate" or "postmigrate" => VmPowerState.Migrating,
        "shutdown" => VmPowerState.ShuttingDown,
        "internal-error" or "guest-panicked" => VmPowerState.Crashed,
        _ => VmPowerState.Unknown,
    };
}
