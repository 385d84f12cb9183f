namespace WebVirt.Web.Tasks;

/// <summary>
/// One unit of work a user started (Proxmox's task list): who, what, on which target, progress and result.
/// Written through <see cref="TaskLog"/>.
/// </summary>
public sealed class TaskRecord
{
    public Guid Id { get; set; }

    /// <summary>What the task does, dotted: <c>vm.start</c>, <c>vm.create</c>, <c>host.register</c>.</summary>
    public required string Kind { get; set; }

    /// <summary><c>vm</c>, <c>host</c>, <c>storage</c>, …</summary>
    public required string TargetType { get; set; }

    public required string TargetId { get; set; }

    /// <summary>The target's name when the task started, so the list reads well after a rename or delete.</summary>
    public string? TargetName { get; set; }

    public required string UserName { get; set; }
    public TaskState Status { get; set; } = TaskState.Running;

    /// <summary>0..1 where the work can tell; null where it cannot.</summary>
    public double? Progress { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Error { get; set; }
}
