using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Backups;

/// <summary>
/// Restore backup <paramref name="BackupId"/> of VM <paramref name="VmUuid"/>: as the new VM <paramref name="Target"/>
/// (new UUID, name, MACs; one qcow2 disk per backed-up disk id), or, when it is null, over the original VM's disks (stopped).
/// </summary>
public sealed record RestoreRequest(Guid VmUuid, string BackupId, VmDefinition? Target, Guid? TaskId);
