namespace WebVirt.Shared.Vms;

/// <summary>
/// Everything needed to run one VM, as the panel stores it and the agent keeps on disk.
/// Host paths are absolute; names and paths are validated before they reach a QEMU command line.
/// </summary>
public sealed record VmDefinition
{
    public required Guid Uuid { get; init; }
    public required string Name { get; init; }
    public CpuTopology Cpu { get; init; } = new();
    public int MemoryMiB { get; init; } = 1024;
    public MachineType Machine { get; init; } = MachineType.Q35;
    public Firmware Firmware { get; init; } = Firmware.SeaBios;
    public IReadOnlyList<DiskDefinition> Disks { get; init; } = [];
    public CdromDefinition? Cdrom { get; init; }
    public IReadOnlyList<NicDefinition> Nics { get; init; } = [];
    public DisplayDefinition Display { get; init; } = new();
    public bool SerialConsole { get; init; } = true;
    public bool GuestAgent { get; init; } = true;
    public bool Autostart { get; init; }

    /// <summary>
    /// Where the VM comes in the host's autostart sequence: lower starts first; 0 means no particular place
    /// (after every VM that has one).
    /// </summary>
    public int StartOrder { get; init; }

    /// <summary>A template is never started: it is the read-only source of clones (linked clones use its disks as backing files).</summary>
    public bool IsTemplate { get; init; }

    /// <summary>Seconds a graceful (ACPI) shutdown may take before the VM is powered off hard.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 60;
}
