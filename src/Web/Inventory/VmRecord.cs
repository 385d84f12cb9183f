using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>
/// A VM as the panel knows it: the definition (desired configuration) flattened into columns,
/// the state the panel wants, and the actual state the host's agent last reported.
/// <see cref="VmRecordMapper"/> converts to and from <see cref="VmDefinition"/>.
/// </summary>
public sealed class VmRecord
{
    /// <summary>The VM's UUID, the same as <see cref="VmDefinition.Uuid"/>.</summary>
    public Guid Id { get; set; }

    public Guid HostId { get; set; }
    public HostRecord? Host { get; set; }

    /// <summary>Unique per host, compared case-insensitively.</summary>
    public required string Name { get; set; }

    /// <summary>Markdown, rendered safely (raw HTML is not passed through) by <c>MarkdownView</c>.</summary>
    public string? Description { get; set; }

    /// <summary>Short labels for finding and grouping VMs (<see cref="VmTags"/> checks them); one JSON column.</summary>
    public List<string> Tags { get; set; } = [];

    public int Sockets { get; set; } = 1;
    public int Cores { get; set; } = 1;
    public int Threads { get; set; } = 1;
    public string? CpuModel { get; set; }
    public int MemoryMiB { get; set; } = 1024;
    public MachineType Machine { get; set; } = MachineType.Q35;
    public Firmware Firmware { get; set; } = Firmware.SeaBios;
    public DisplayAdapter DisplayAdapter { get; set; } = DisplayAdapter.Std;
    public bool Vnc { get; set; } = true;
    public bool SerialConsole { get; set; } = true;
    public bool GuestAgent { get; set; } = true;
    public bool Autostart { get; set; }

    /// <summary>Place in the host's autostart sequence; 0 = none in particular (see <see cref="VmDefinition.StartOrder"/>).</summary>
    public int StartOrder { get; set; }
    /// <summary>A template cannot be started; it is the source of clones.</summary>
    public bool IsTemplate { get; set; }
    public int ShutdownTimeoutSeconds { get; set; } = 60;

    /// <summary>False when the VM has no CD-ROM drive; true with a null path is an empty drive.</summary>
    public bool HasCdrom { get; set; }

    public string? CdromIsoPath { get; set; }
    public int? CdromBootOrder { get; set; }

    /// <summary>
    /// Bumped by every definition change (<see cref="VmRecordMapper.ApplyDefinition"/>) and checked on save,
    /// so two users editing the same VM cannot overwrite each other; state reports leave it alone.
    /// </summary>
    public int DefinitionVersion { get; set; }

    /// <summary>What the panel wants: <see cref="VmPowerState.Running"/> or <see cref="VmPowerState.Stopped"/>.</summary>
    public VmPowerState DesiredState { get; set; } = VmPowerState.Stopped;

    public VmPowerState ActualState { get; set; } = VmPowerState.Unknown;

    /// <summary>QEMU's own run state as last reported; null until the agent reports the VM.</summary>
    public string? QemuStatus { get; set; }

    public int? Pid { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public string? LastExit { get; set; }
    public DateTimeOffset? StateChangedAt { get; set; }

    /// <summary>
    /// The <see cref="Shared.Agents.VmReport.Sequence"/> of the last report applied: a report at or below it is older
    /// than what the record shows and is dropped (<see cref="VmStateReconciler.ApplyReport"/>).
    /// </summary>
    public long ReportSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set when the host reports a state other than the desired one; shown to users and never fixed silently.
    /// </summary>
    public string? StateMismatch { get; set; }

    /// <summary>
    /// Deleted in the panel while its host was offline: hidden from users, removed on the host (and then
    /// here) once its agent reconnects and confirms.
    /// </summary>
    public bool PendingDeletion { get; set; }

    public bool PendingDeletionRemovesDisks { get; set; }

    /// <summary>
    /// Hardware changes made while the VM ran: the whole definition it will get, applied (sent to the host) when
    /// it is next started or stopped through the panel. Null when nothing is pending.
    /// </summary>
    public VmDefinition? PendingDefinition { get; set; }

    public List<DiskRecord> Disks { get; set; } = [];
    public List<NicRecord> Nics { get; set; } = [];
}
