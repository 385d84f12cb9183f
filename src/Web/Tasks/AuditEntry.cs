namespace WebVirt.Web.Tasks;

/// <summary>
/// One row of the audit trail. A task writes two: one when it starts and one with its outcome,
/// both carrying its <see cref="TaskId"/>. Audit rows outlive their tasks (no foreign key).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserName { get; set; }

    /// <summary>The task kind (<c>vm.start</c>) or another dotted action name (<c>user.sign-in</c>).</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public string? Details { get; set; }
    public bool Success { get; set; }
    public Guid? TaskId { get; set; }
}
