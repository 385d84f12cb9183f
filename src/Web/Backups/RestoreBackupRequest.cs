namespace WebVirt.Web.Backups;

/// <summary>POST /api/v1/vms/{id}/backups/{backupId}/restore: with <see cref="NewName"/> as a new VM, without it over the (stopped) VM.</summary>
public sealed record RestoreBackupRequest
{
    public string? NewName { get; init; }
}
