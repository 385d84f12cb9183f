using WebVirt.Host.Agent.Backups;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Snapshots;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Templates;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// The agent's one command surface: every command of <see cref="IAgentClient"/>, handed to the service that owns
/// it. The panel connection registers its hub handlers from the interface, so a command is added to the contract
/// and here, and nowhere else.
/// </summary>
internal sealed class AgentCommands(
    VmDefinitions definitions,
    VmPower power,
    VmCdrom cdrom,
    VmSnapshots snapshots,
    VmClones clones,
    VmBackups backups,
    DiskAttachments attachments,
    DiskSizes sizes,
    DiskMoves moves,
    DiskLimits ioLimits,
    DiskKeyRing keyRing,
    StoragePools storage,
    TunnelDialer tunnels) : IAgentClient
{
    public Task<AgentReply> DefineVm(VmDefinition definition, IReadOnlyList<NewDisk> newDisks) => definitions.DefineVm(definition, newDisks);

    public Task<AgentReply> UndefineVm(Guid uuid, bool removeDisks) => definitions.UndefineVm(uuid, removeDisks);

    public Task<AgentReply> StartVm(Guid uuid) => power.StartVm(uuid);

    public Task<AgentReply> SetStartOptions(Guid uuid, bool autostart, int startOrder) => definitions.SetStartOptions(uuid, autostart, startOrder);

    public Task<AgentReply> ShutdownVm(Guid uuid, int timeoutSeconds) => power.ShutdownVm(uuid, timeoutSeconds);

    public Task<AgentReply> StopVm(Guid uuid) => power.StopVm(uuid);

    public Task<AgentReply> ResetVm(Guid uuid) => power.ResetVm(uuid);

    public Task<AgentReply> PauseVm(Guid uuid) => power.PauseVm(uuid);

    public Task<AgentReply> ResumeVm(Guid uuid) => power.ResumeVm(uuid);

    public Task<ScreendumpReply> Screendump(Guid uuid) => power.Screendump(uuid);

    public Task<AgentReply> OpenTunnel(TunnelRequest request) => tunnels.OpenAsync(request);

    public Task<AgentReply> TakeSnapshot(SnapshotRequest request) => snapshots.TakeSnapshot(request);

    public Task<AgentReply> RevertSnapshot(Guid uuid, string name, Guid? taskId) => snapshots.RevertSnapshot(uuid, name, taskId);

    public Task<AgentReply> DeleteSnapshot(Guid uuid, string name, Guid? taskId) => snapshots.DeleteSnapshot(uuid, name, taskId);

    public Task<SnapshotListReply> ListSnapshots(Guid uuid) => snapshots.ListSnapshots(uuid);

    public Task<AgentReply> ConvertToTemplate(Guid uuid) => clones.ConvertToTemplate(uuid);

    public Task<AgentReply> CloneVm(CloneRequest request) => clones.CloneVm(request);

    public Task<AgentReply> BackupVm(BackupRequest request) => backups.BackupVm(request);

    public Task<BackupListReply> ListBackups(Guid uuid) => backups.ListBackups(uuid);

    public Task<AgentReply> VerifyBackup(Guid uuid, string backupId) => backups.VerifyBackup(uuid, backupId);

    public Task<AgentReply> RestoreBackup(RestoreRequest request) => backups.RestoreBackup(request);

    public Task<AgentReply> AddDisk(AddDiskRequest request) => attachments.AddDisk(request);

    public Task<AgentReply> DetachDisk(Guid uuid, string diskId, bool deleteImage) => attachments.DetachDisk(uuid, diskId, deleteImage);

    public Task<AgentReply> ResizeDisk(Guid uuid, string diskId, long sizeBytes) => sizes.ResizeDisk(uuid, diskId, sizeBytes);

    public Task<AgentReply> MoveDisk(MoveDiskRequest request) => moves.MoveDisk(request);

    public Task<AgentReply> CompressDisk(Guid uuid, string diskId, Guid? taskId) => sizes.CompressDisk(uuid, diskId, taskId);

    public Task<AgentReply> SetDiskIoLimits(Guid uuid, string diskId, DiskIoLimits? limits) => ioLimits.SetDiskIoLimits(uuid, diskId, limits);

    public Task<DiskUsageReply> GetDiskUsage(Guid uuid) => sizes.GetDiskUsage(uuid);

    public Task<PoolListReply> ListPools() => storage.ListPools();

    public Task<AgentReply> AddPool(string path) => storage.AddPool(path);

    public Task<AgentReply> RemovePool(string path) => storage.RemovePool(path);

    public Task<PoolContentReply> ListPoolContent(string poolPath) => storage.ListPoolContent(poolPath);

    public Task<AgentReply> DeletePoolFile(string poolPath, string fileName) => storage.DeletePoolFile(poolPath, fileName);

    public Task<UploadStatusReply> GetUploadStatus(string poolPath, string fileName) => storage.GetUploadStatus(poolPath, fileName);

    public Task<AgentReply> DiscardUpload(string poolPath, string fileName) => storage.DiscardUpload(poolPath, fileName);

    public Task<AgentReply> StartDownload(DownloadRequest request) => storage.StartDownload(request);

    public Task<DownloadStatusReply> GetDownload(Guid transferId) => storage.GetDownload(transferId);

    public Task<AgentReply> ChangeCdrom(Guid uuid, string? isoPath) => cdrom.ChangeCdrom(uuid, isoPath);

    public Task<AgentReply> ProvideDiskKeys(Guid uuid, IReadOnlyDictionary<string, string> keys) => keyRing.ProvideDiskKeys(uuid, keys);
}
