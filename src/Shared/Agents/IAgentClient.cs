using WebVirt.Shared.Backups;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Storage;
using WebVirt.Shared.Tunnels;
using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Agents;

/// <summary>
/// What the panel asks of an agent (SignalR client results). Operations on one VM are serialized by the
/// agent; one that arrives while another runs gets <see cref="AgentErrorKind.Conflict"/>.
/// </summary>
public interface IAgentClient
{
    /// <summary>Stores the definition on the host, creating the listed disk images; replaces an existing definition of a stopped VM.</summary>
    Task<AgentReply> DefineVm(VmDefinition definition, IReadOnlyList<NewDisk> newDisks);

    /// <summary>Forgets a stopped VM; with <paramref name="removeDisks"/> its disk images are deleted too.</summary>
    Task<AgentReply> UndefineVm(Guid uuid, bool removeDisks);

    Task<AgentReply> StartVm(Guid uuid);

    /// <summary>
    /// Changes when the host starts the VM by itself (autostart, start order) in its stored definition; allowed
    /// while the VM runs, since QEMU does not see these.
    /// </summary>
    Task<AgentReply> SetStartOptions(Guid uuid, bool autostart, int startOrder);

    /// <summary>ACPI power button, then a hard stop after <paramref name="timeoutSeconds"/>.</summary>
    Task<AgentReply> ShutdownVm(Guid uuid, int timeoutSeconds);

    /// <summary>Hard power-off.</summary>
    Task<AgentReply> StopVm(Guid uuid);

    Task<AgentReply> ResetVm(Guid uuid);

    Task<AgentReply> PauseVm(Guid uuid);

    Task<AgentReply> ResumeVm(Guid uuid);

    Task<ScreendumpReply> Screendump(Guid uuid);

    /// <summary>
    /// Dials the tunnel WebSocket back to the panel and starts relaying; answers once the socket is connected,
    /// or with the reason it could not be (no such VM, VM not running, bad upload target).
    /// </summary>
    Task<AgentReply> OpenTunnel(TunnelRequest request);

    /// <summary>Takes a snapshot of every qcow2 disk (and UEFI variables); with memory the running VM's RAM too.</summary>
    Task<AgentReply> TakeSnapshot(SnapshotRequest request);

    /// <summary>Returns the disks (and, for a snapshot with memory on a running VM, the guest itself) to the snapshot.</summary>
    Task<AgentReply> RevertSnapshot(Guid uuid, string name, Guid? taskId);

    /// <summary>Deletes a snapshot; its children move up to its parent.</summary>
    Task<AgentReply> DeleteSnapshot(Guid uuid, string name, Guid? taskId);

    Task<SnapshotListReply> ListSnapshots(Guid uuid);

    /// <summary>Marks a stopped VM as a template: never started again, the source of (linked) clones.</summary>
    Task<AgentReply> ConvertToTemplate(Guid uuid);

    /// <summary>Copies a stopped VM or a template into a new VM (full copies, or linked overlays on a template's disks); the reply reports the new VM.</summary>
    Task<AgentReply> CloneVm(CloneRequest request);

    /// <summary>Backs up a VM (running or stopped) as compressed qcow2 disks, its definition and SHA-256 checksums; then applies keep-last-N.</summary>
    Task<AgentReply> BackupVm(BackupRequest request);

    /// <summary>A VM's backups, newest first; also for VMs deleted since.</summary>
    Task<BackupListReply> ListBackups(Guid uuid);

    /// <summary>Recomputes every checksum and checks every disk image of a backup.</summary>
    Task<AgentReply> VerifyBackup(Guid uuid, string backupId);

    /// <summary>Restores a verified backup as a new VM, or over the original (stopped) VM's disks.</summary>
    Task<AgentReply> RestoreBackup(RestoreRequest request);

    /// <summary>Adds a new, imported or existing disk image to a VM (hot-plugged into a running VM where the bus allows).</summary>
    Task<AgentReply> AddDisk(AddDiskRequest request);

    /// <summary>Removes a disk from a VM (hot-unplugged from a running one); its image is kept in the pool unless <paramref name="deleteImage"/>.</summary>
    Task<AgentReply> DetachDisk(Guid uuid, string diskId, bool deleteImage);

    /// <summary>Grows a disk to <paramref name="sizeBytes"/>: qemu-img on a stopped VM, block_resize on a running one. Shrinking is refused.</summary>
    Task<AgentReply> ResizeDisk(Guid uuid, string diskId, long sizeBytes);

    /// <summary>Moves a disk's image to another pool (optionally another format) as a task with progress.</summary>
    Task<AgentReply> MoveDisk(MoveDiskRequest request);

    /// <summary>Rewrites a stopped VM's qcow2 disk compressed, as a task with progress; refused while the image has snapshots, which a rewrite would lose.</summary>
    Task<AgentReply> CompressDisk(Guid uuid, string diskId, Guid? taskId);

    /// <summary>Changes a disk's I/O limits (null = unlimited), live on a running VM, and in its stored definition.</summary>
    Task<AgentReply> SetDiskIoLimits(Guid uuid, string diskId, DiskIoLimits? limits);

    /// <summary>Virtual and actual size, snapshot count and backing file of each of the VM's disks.</summary>
    Task<DiskUsageReply> GetDiskUsage(Guid uuid);

    /// <summary>The host's storage pools with their size and free space.</summary>
    Task<PoolListReply> ListPools();

    /// <summary>Makes an existing folder a pool (absolute, normalised, outside /proc, /sys and /dev, not overlapping another pool).</summary>
    Task<AgentReply> AddPool(string path);

    /// <summary>Forgets a pool, keeping its files; refused for the default pool and while a VM uses a file in it.</summary>
    Task<AgentReply> RemovePool(string path);

    /// <summary>The files in a pool's folder, unfinished uploads included.</summary>
    Task<PoolContentReply> ListPoolContent(string poolPath);

    /// <summary>Deletes a file from a pool; refused while a VM's disk or CD-ROM uses it.</summary>
    Task<AgentReply> DeletePoolFile(string poolPath, string fileName);

    /// <summary>How many bytes of an upload the host holds, so the client resumes there.</summary>
    Task<UploadStatusReply> GetUploadStatus(string poolPath, string fileName);

    /// <summary>Deletes what an unfinished upload or download left.</summary>
    Task<AgentReply> DiscardUpload(string poolPath, string fileName);

    /// <summary>Starts fetching a URL into a pool; answers once the request is checked, then runs on (follow it with <see cref="GetDownload"/>).</summary>
    Task<AgentReply> StartDownload(DownloadRequest request);

    Task<DownloadStatusReply> GetDownload(Guid transferId);

    /// <summary>Inserts an ISO from a pool into the VM's CD-ROM drive (null ejects); live on a running VM, and kept in its definition.</summary>
    Task<AgentReply> ChangeCdrom(Guid uuid, string? isoPath);

    /// <summary>Hands over the keys of a VM's encrypted disks (by disk id) before it is defined or started; the agent keeps them in memory only.</summary>
    Task<AgentReply> ProvideDiskKeys(Guid uuid, IReadOnlyDictionary<string, string> keys);
}
