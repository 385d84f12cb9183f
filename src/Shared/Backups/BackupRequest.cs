namespace WebVirt.Shared.Backups;

/// <summary>Back up VM <paramref name="VmUuid"/> (stopped or running), then keep only its newest <paramref name="KeepLast"/> backups (0: keep all).</summary>
public sealed record BackupRequest(Guid VmUuid, int KeepLast, Guid? TaskId);
