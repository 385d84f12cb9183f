namespace WebVirt.Web.Backups;

/// <summary>PUT /api/v1/vms/{id}/backups/schedule: <see cref="DailyAt"/> ("HH:MM", UTC) or <see cref="EveryHours"/>.</summary>
public sealed record BackupScheduleRequest
{
    public bool Enabled { get; init; } = true;
    public string? DailyAt { get; init; }
    public int? EveryHours { get; init; }
    public int KeepLast { get; init; } = 7;
}
