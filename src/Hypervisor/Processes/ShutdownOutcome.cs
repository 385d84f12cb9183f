namespace WebVirt.Hypervisor.Processes;

public enum ShutdownOutcome
{
    /// <summary>The guest acted on the ACPI power button and powered off within the timeout.</summary>
    Graceful,

    /// <summary>The guest did not power off in time; QEMU was stopped hard.</summary>
    Forced,

    /// <summary>The VM was not running.</summary>
    NotRunning,
}
