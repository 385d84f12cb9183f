using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Agents;

/// <summary>The actual state of one VM on its host, as the agent sees it.</summary>
public sealed record VmReport
{
    public required Guid Uuid { get; init; }
    public required string Name { get; init; }
    public required VmPowerState State { get; init; }

    /// <summary>QEMU's own run state (query-status), or "stopped" when no QEMU runs.</summary>
    public required string QemuStatus { get; init; }

    public int? Pid { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Why the VM last stopped, when it did (guest powered off, killed, …).</summary>
    public string? LastExit { get; init; }

    /// <summary>What changed, for the task log and the UI (for example "resumed", "guest-shutdown").</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Orders the reports of one host: the agent stamps every report, pushed or carried in a reply, from one
    /// counter that only grows and that a restarted agent seeds above its predecessor's (from the clock), so
    /// the panel can drop a report older than the state it holds. 0 = unordered (an agent before this field).
    /// </summary>
    public long Sequence { get; init; }
}
