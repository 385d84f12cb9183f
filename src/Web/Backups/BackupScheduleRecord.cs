namespace WebVirt.Web.Backups;

/// <summary>
/// A VM's backup schedule: daily at a UTC time of day, or every N hours. The scheduler backs the VM up when
/// <see cref="NextRunAt"/> has passed and keeps its newest <see cref="KeepLast"/> backups.
/// </summary>
public sealed class BackupScheduleRecord
{
    public Guid VmId { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Set for a daily schedule: minutes after midnight UTC.</summary>
    public int? DailyAtMinute { get; set; }

    /// <summary>Set for an interval schedule.</summary>
    public int? EveryHours { get; set; }

    public int KeepLast { get; set; } = 7;
    public DateTimeOffset? LastRunAt { get; set; }
    public DateTimeOffset NextRunAt { get; set; }

    /// <summary>Who saved the schedule: scheduled backups run in their name.</summary>
    public required string UserName { get; set; }

    /// <summary>
    /// The Identity id of <see cref="UserName"/>: each run checks that this user still holds VM.Backup and
    /// Datastore.AllocateSpace (and is not disabled), so a schedule stops making backups when its owner's access ends.
    /// </summary>
    public string? UserId { get; set; }
}
