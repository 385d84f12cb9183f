using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Processes;

/// <summary>A change of a running VM's state, with the QEMU run state and event behind it.</summary>
public sealed record VmStateChange(VmPowerState State, string QemuStatus, string Reason)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
