namespace WebVirt.Shared.Vms;

/// <summary>What a VM is doing, as users see it; the raw QEMU run state travels beside it.</summary>
public enum VmPowerState
{
    Stopped,
    Starting,
    Running,
    Paused,
    ShuttingDown,
    Migrating,
    Crashed,
    Unknown,
}
