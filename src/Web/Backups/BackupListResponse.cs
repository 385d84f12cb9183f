using WebVirt.Shared.Backups;

namespace WebVirt.Web.Backups;

/// <summary>A VM's backups, newest first, and its schedule (null: none).</summary>
public sealed record BackupListResponse(IReadOnlyList<BackupInfo> Backups, BackupScheduleRecord? Schedule);
