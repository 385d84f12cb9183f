namespace WebVirt.Hypervisor.Processes;

/// <summary>Why a VM's QEMU process ended, in words shown to the user.</summary>
public sealed record VmExit(VmExitKind Kind, string Description, int? ExitCode = null, int? Signal = null)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}
