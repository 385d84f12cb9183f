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
internal sealed class AgentCommands(VmHost host, TunnelDialer tunnels) : IAgentClient
{
    public Task<AgentReply> DefineVm(VmDefinition definition, IReadOnlyList<NewDisk> newDisks) => host.DefineVm(definition, newDisks);

    public Task<AgentReply> UndefineVm(Guid uuid, bool removeDisks) => host.UndefineVm(uuid, removeDisks);

    public Task<AgentReply> StartVm(Guid uuid) => host.StartVm(uuid);

    public Task<AgentReply> SetStartOptions(Guid uuid, bool autostart, int startOrder) => host.SetStartOptions(uuid, autostart, startOrder);

    public Task<AgentReply> ShutdownVm(Guid uuid, int timeoutSeconds) => host.ShutdownVm(uuid, timeoutSeconds);

    public Task<AgentReply> StopVm(Guid uuid) => host.StopVm(uuid);

    public Task<AgentReply> ResetVm(Guid uuid) => host.ResetVm(uuid);

    public Task<AgentReply> PauseVm(Guid uuid) => host.PauseVm(uuid);

    public Task<AgentReply> ResumeVm(Guid uuid) => host.ResumeVm(uuid);

    public Task<ScreendumpReply> Screendump(Guid uuid) => host.Screendump(uuid);

    public Task<AgentReply> OpenTunnel(TunnelRequest request) => tunnels.OpenAsync(request);

    public Task<AgentReply> TakeSnapshot(SnapshotRequest request) => host.TakeSnapshot(request);

    public Task<AgentReply> RevertSnapshot(Guid uuid, string name, Guid? taskId) => host.RevertSnapshot(uuid, name, taskId);

    public Task<AgentReply> DeleteSnapshot(Guid uuid, string name, Guid? taskId) => host.DeleteSnapshot(uuid, name, taskId);

    public Task<SnapshotListReply> ListSnapshots(Guid uuid) => host.ListSnapshots(uuid);

    public Task<AgentReply> ConvertToTemplate(Guid uuid) => host.ConvertToTemplate(uuid);

    public Task<AgentReply> CloneVm(CloneRequest request) => host.CloneVm(request);

    public Task<AgentReply> BackupVm(BackupRequest request) => host.BackupVm(request);

    public Task<BackupListReply> ListBackups(Guid uuid) => host.ListBackups(uuid);

    public Task<AgentReply> VerifyBackup(Guid uuid, string backupId) => host.VerifyBackup(uuid, backupId);

    public Task<AgentReply> RestoreBackup(RestoreRequest request) => host.RestoreBackup(request);

    public Task<AgentReply> AddDisk(AddDiskRequest request) => host.AddDisk(request);

    public Task<AgentReply> DetachDisk(Guid uuid, string diskId, bool deleteImage) => host.DetachDisk(uuid, diskId, deleteImage);

    public Task<AgentReply> ResizeDisk(Guid uuid, string diskId, long sizeBytes) => host.ResizeDisk(uuid, diskId, sizeBytes);

    public Task<AgentReply> MoveDisk(MoveDiskRequest request) => host.MoveDisk(request);

    public Task<AgentReply> CompressDisk(Guid uuid, string diskId, Guid? taskId) => host.CompressDisk(uuid, diskId, taskId);

    public Task<AgentReply> SetDiskIoLimits(Guid uuid, string diskId, DiskIoLimits? limits) => host.SetDiskIoLimits(uuid, diskId, limits);

    public Task<DiskUsageReply> GetDiskUsage(Guid uuid) => host.GetDiskUsage(uuid);

    public Task<PoolListReply> ListPools() => host.ListPools();

    public Task<AgentReply> AddPool(string path) => host.AddPool(path);

    public Task<AgentReply> RemovePool(string path) => host.RemovePool(path);

    public Task<PoolContentReply> ListPoolContent(string poolPath) => host.ListPoolContent(poolPath);

    public Task<AgentReply> DeletePoolFile(string poolPath, string fileName) => host.DeletePoolFile(poolPath, fileName);

    public Task<UploadStatusReply> GetUploadStatus(string poolPath, string fileName) => host.GetUploadStatus(poolPath, fileName);

    public Task<AgentReply> DiscardUpload(string poolPath, string fileName) => host.DiscardUpload(poolPath, fileName);

    public Task<AgentReply> StartDownload(DownloadRequest request) => host.StartDownload(request);

    public Task<DownloadStatusReply> GetDownload(Guid transferId) => host.GetDownload(transferId);

    public Task<AgentReply> ChangeCdrom(Guid uuid, string? isoPath) => host.ChangeCdrom(uuid, isoPath);

    public Task<AgentReply> ProvideDiskKeys(Guid uuid, IReadOnlyDictionary<string, string> keys) => host.ProvideDiskKeys(uuid, keys);
}
