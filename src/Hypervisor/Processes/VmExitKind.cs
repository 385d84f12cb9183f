namespace WebVirt.Hypervisor.Processes;

public enum VmExitKind
{
    /// <summary>The guest powered itself off (ACPI shutdown, or poweroff inside the guest).</summary>
    GuestShutdown,

    /// <summary>WebVirt told QEMU to quit: a hard stop, or the end of a graceful shutdown.</summary>
    Stopped,

    /// <summary>QEMU ended without a shutdown event: killed by a signal, or crashed.</summary>
    Killed,

    /// <summary>QEMU exited on its own with an error.</summary>
    Crashed,
}
