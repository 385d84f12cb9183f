using Microsoft.Extensions.Logging;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

internal static partial class VmHostLog
{
    [LoggerMessage(3001, LogLevel.Information, "Loaded {Vms} VMs ({Running} running) with images in {ImagePool}")]
    public static partial void Loaded(ILogger logger, int vms, int running, string imagePool);

    [LoggerMessage(3002, LogLevel.Warning, "VM {Uuid}: QEMU pid {Pid} runs without a definition on this host; reporting it, leaving it running")]
    public static partial void UndefinedVmRunning(ILogger logger, Guid uuid, int? pid);

    [LoggerMessage(3003, LogLevel.Error, "VM {Uuid}: QEMU pid {Pid} seems to run but the agent could not attach to it; it is left alone and reported as unknown")]
    public static partial void AttachFailed(ILogger logger, Guid uuid, int? pid, Exception exception);

    [LoggerMessage(3004, LogLevel.Information, "VM {Uuid} ({Name}) autostarted")]
    public static partial void Autostarted(ILogger logger, Guid uuid, string name);

    [LoggerMessage(3005, LogLevel.Error, "VM {Uuid} ({Name}) is marked autostart but did not start: {Error}")]
    public static partial void AutostartFailed(ILogger logger, Guid uuid, string name, string? error);

    [LoggerMessage(3006, LogLevel.Information, "Let go of {Vms} running VMs; they keep running")]
    public static partial void Detached(ILogger logger, int vms);

    [LoggerMessage(3007, LogLevel.Error, "VM {Uuid}: watching its state failed")]
    public static partial void WatchFailed(ILogger logger, Guid uuid, Exception exception);

    [LoggerMessage(3008, LogLevel.Warning, "VM {Uuid} ({Name}): {Operation} refused ({Kind}): {Error}")]
    public static partial void OperationRefused(ILogger logger, string operation, Guid uuid, string name, AgentErrorKind? kind, string? error);

    [LoggerMessage(3009, LogLevel.Error, "VM {Uuid}: {Operation} failed unexpectedly")]
    public static partial void OperationCrashed(ILogger logger, string operation, Guid uuid, Exception exception);

    [LoggerMessage(3010, LogLevel.Information, "VM {Uuid} ({Name}) defined, {Created} new disk images")]
    public static partial void Defined(ILogger logger, Guid uuid, string name, int created);

    [LoggerMessage(3011, LogLevel.Information, "VM {Uuid}: created {Format} image {Path} of {SizeBytes} bytes")]
    public static partial void DiskCreated(ILogger logger, Guid uuid, string path, DiskFormat format, long sizeBytes);

    [LoggerMessage(3012, LogLevel.Information, "VM {Uuid} ({Name}) undefined (disks removed: {RemoveDisks})")]
    public static partial void Undefined(ILogger logger, Guid uuid, string name, bool removeDisks);

    [LoggerMessage(3013, LogLevel.Warning, "VM {Uuid}: kept disk image {Path}: it lies outside the image pool or another VM uses it")]
    public static partial void DiskKept(ILogger logger, Guid uuid, string path);

    [LoggerMessage(3014, LogLevel.Warning, "Ignored {File}: it holds the definition of VM {Uuid}, not of the VM its folder is named after")]
    public static partial void DefinitionMismatch(ILogger logger, string file, Guid? uuid);

    [LoggerMessage(3015, LogLevel.Error, "Ignored the unreadable VM definition {File}")]
    public static partial void DefinitionUnreadable(ILogger logger, string file, Exception exception);

    [LoggerMessage(3030, LogLevel.Information, "VM {Uuid} ({Name}): snapshot '{Snapshot}' taken (memory: {WithMemory})")]
    public static partial void SnapshotTaken(ILogger logger, Guid uuid, string name, string snapshot, bool withMemory);

    [LoggerMessage(3031, LogLevel.Information, "VM {Uuid} ({Name}): reverted to snapshot '{Snapshot}'")]
    public static partial void SnapshotReverted(ILogger logger, Guid uuid, string name, string snapshot);

    [LoggerMessage(3032, LogLevel.Information, "VM {Uuid} ({Name}): snapshot '{Snapshot}' deleted")]
    public static partial void SnapshotDeleted(ILogger logger, Guid uuid, string name, string snapshot);

    [LoggerMessage(3033, LogLevel.Warning, "VM {Uuid}: could not remove the partial snapshot '{Snapshot}' from {Image} again: {Error}")]
    public static partial void SnapshotRollbackFailed(ILogger logger, Guid uuid, string image, string snapshot, string error);

    [LoggerMessage(3034, LogLevel.Information, "VM {Uuid} ({Name}) converted to a template")]
    public static partial void ConvertedToTemplate(ILogger logger, Guid uuid, string name);

    [LoggerMessage(3035, LogLevel.Information, "VM {Uuid} ({Name}) cloned to {CloneUuid} ({CloneName}), linked: {Linked}")]
    public static partial void Cloned(ILogger logger, Guid uuid, string name, Guid cloneUuid, string cloneName, bool linked);

    [LoggerMessage(3036, LogLevel.Information, "VM {Uuid} ({Name}) backed up as {BackupId} ({Bytes} bytes); {Removed} old backups removed")]
    public static partial void BackedUp(ILogger logger, Guid uuid, string name, string backupId, long bytes, int removed);

    [LoggerMessage(3037, LogLevel.Information, "Backup {BackupId} of VM {Uuid} restored as VM {TargetUuid} ({TargetName})")]
    public static partial void Restored(ILogger logger, Guid uuid, string backupId, Guid targetUuid, string targetName);

    [LoggerMessage(3090, LogLevel.Warning, "VM {Uuid}: could not remove the encrypted backup's target node {Node} from QEMU: {Error}")]
    public static partial void BackupNodeNotRemoved(ILogger logger, Guid uuid, string node, string error);
}
