using System.Security.Claims;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>Grows a disk (qemu-img on a stopped VM, live on a running one); a size not above the current one is refused.</summary>
    public Task<OperationResult> ResizeAsync(Guid vmId, string diskId, ResizeVmDiskRequest request, ClaimsPrincipal user) =>
        OnDiskAsync(vmId, diskId, "resizing", user, async (action, db, vm, disk) =>
        {
            if (request.SizeMiB is < 1 or > MaxSizeMiB)
            {
                return Invalid($"sizeMiB: must be between 1 MiB and {MaxSizeMiB} MiB (64 TiB)");
            }

            if (await RefuseOnDiskPoolAsync(db, vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
            {
                return refused;
            }

            // The host's measure, not the inventory's, decides: the image may have been grown elsewhere.
            var (usage, error) = await MeasureAsync(vm);
            if (usage?.FirstOrDefault(u => u.DiskId == diskId) is not { Error: null } measured)
            {
                return error ?? new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}' could not measure disk {diskId}.");
            }

            var sizeBytes = request.SizeMiB * 1024 * 1024;
            if (sizeBytes <= measured.VirtualBytes)
            {
                return Invalid($"sizeMiB: disk {diskId} is {Format.Bytes(measured.VirtualBytes)} ({measured.VirtualBytes / (1024 * 1024)} MiB) already; disks can only grow");
            }

            var taskId = await StartTaskAsync(action, vm, "vm.disk.resize", $"{diskId}: {Format.Bytes(measured.VirtualBytes)} → {Format.Bytes(sizeBytes)}", user);
            var reply = await keys.SendWithKeysAsync(vm.Id, vm.HostId, vm.Host!.Name, agent => agent.ResizeDisk(vm.Id, diskId, sizeBytes), LongTimeout);
            if (!reply.Ok)
            {
                return await FinishAsync(action, taskId, AgentReplies.ToResult(reply));
            }

            disk.SizeBytes = sizeBytes;
            if (await SaveAsync(db, vm, $"Disk {diskId} was grown") is { } conflict)
            {
                return await FinishAsync(action, taskId, conflict);
            }

            return await FinishAsync(action, taskId, OperationResult.Done($"Disk {diskId} of VM '{vm.Name}' grown to {Format.Bytes(sizeBytes)}."));
        });

    /// <summary>Moves a stopped VM's disk image into another pool (optionally converting it), with progress; the old image is deleted.</summary>
    public Task<OperationResult> MoveAsync(Guid vmId, string diskId, MoveVmDiskRequest request, ClaimsPrincipal user) =>
        OnDiskAsync(vmId, diskId, "moving", user, async (action, db, vm, disk) =>
        {
            if (!IsStopped(vm))
            {
                return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is {vm.ActualState.ToString().ToLowerInvariant()}: stop it before moving a disk, whose image is copied while nothing writes to it.");
            }

            var format = request.Format ?? disk.Format;
            if (!Enum.IsDefined(format))
            {
                return Invalid("format: must be qcow2 or raw");
            }

            if (disk.Encrypted && format != DiskFormat.Qcow2)
            {
                return Invalid("format: an encrypted disk stays qcow2");
            }

            var (pool, refusal) = await PoolAsync(db, vm, request.PoolId, user, Privileges.DatastoreAllocateSpace, "poolId");
            if (pool is null)
            {
                return refusal!;
            }

            if (Path.GetDirectoryName(disk.Path) == pool.Path.TrimEnd('/') && format == disk.Format)
            {
                return Invalid($"poolId: disk {diskId} is in pool '{pool.Name}' already");
            }

            var (files, error) = await FilesInAsync(vm, pool);
            if (files is null)
            {
                return error!;
            }

            var targetName = DiskNames.ImageFileName(vm.Id, diskId, format);
            if (files.Any(f => f.Name == targetName) && DiskNames.PathIn(pool.Path, targetName) != disk.Path)
            {
                return new OperationResult(OperationStatus.Conflict, $"Pool '{pool.Name}' has a file '{targetName}' already (a detached image?): delete or rename it first.");
            }

            var taskId = await StartTaskAsync(action, vm, "vm.disk.move", $"{diskId}: {disk.Path} → pool {pool.Name} as {DiskNames.Extension(format)}", user);
            var reply = await keys.ProvideAsync(vm.Id, vm.HostId, vm.Host!.Name);
            if (reply.Ok)
            {
                reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.MoveDisk(new MoveDiskRequest
                {
                    Uuid = vm.Id,
                    DiskId = diskId,
                    TargetPool = pool.Path,
                    TargetFormat = request.Format,
                    DeleteSource = true,
                    TaskId = taskId,
                }), LongTimeout);
            }

            if (!reply.Ok)
            {
                return await FinishAsync(action, taskId, AgentReplies.ToResult(reply));
            }

            // The host names the moved image; its measure says where it is now.
            var (usage, _) = await MeasureAsync(vm);
            var newPath = usage?.FirstOrDefault(u => u.DiskId == diskId)?.Path ?? DiskNames.PathIn(pool.Path, targetName);
            ChangeDisks(vm, disks => [.. disks.Select(d => d.Id == diskId ? d with { Path = newPath, Format = format } : d)]);
            if (await SaveAsync(db, vm, $"Disk {diskId} was moved") is { } conflict)
            {
                return await FinishAsync(action, taskId, conflict);
            }

            await tasks.AppendAsync(taskId, $"Now at {newPath}.");
            notifier.NotifyHostChanged(vm.HostId);
            return await FinishAsync(action, taskId, OperationResult.Done($"Disk {diskId} of VM '{vm.Name}' moved to pool '{pool.Name}'."));
        });

    /// <summary>Rewrites a stopped VM's qcow2 disk compressed, with progress; refused while the VM runs.</summary>
    public Task<OperationResult> CompressAsync(Guid vmId, string diskId, ClaimsPrincipal user) =>
        OnDiskAsync(vmId, diskId, "compressing", user, async (action, db, vm, disk) =>
        {
            if (disk.Format != DiskFormat.Qcow2)
            {
                return Invalid($"Disk {diskId} is raw: only qcow2 images can be compressed (move it to qcow2 first).");
            }

            if (!IsStopped(vm))
            {
                return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is {vm.ActualState.ToString().ToLowerInvariant()}: stop it before compressing a disk, whose image is rewritten.");
            }

            if (await RefuseOnDiskPoolAsync(db, vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
            {
                return refused;
            }

            var (before, _) = await MeasureAsync(vm);
            var taskId = await StartTaskAsync(action, vm, "vm.disk.compress", $"{diskId}: {disk.Path}", user);
            var reply = await keys.ProvideAsync(vm.Id, vm.HostId, vm.Host!.Name);
            if (reply.Ok)
            {
                reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.CompressDisk(vm.Id, diskId, taskId), LongTimeout);
            }

            if (!reply.Ok)
            {
                return await FinishAsync(action, taskId, AgentReplies.ToResult(reply));
            }

            var (after, _) = await MeasureAsync(vm);
            var (was, now) = (before?.FirstOrDefault(u => u.DiskId == diskId)?.ActualBytes, after?.FirstOrDefault(u => u.DiskId == diskId)?.ActualBytes);
            var sizes = was is { } w && now is { } n ? $": {Format.Bytes(w)} → {Format.Bytes(n)} on disk" : "";
            await tasks.AppendAsync(taskId, $"Compressed{sizes}.");
            notifier.NotifyHostChanged(vm.HostId);
            return await FinishAsync(action, taskId, OperationResult.Done($"Disk {diskId} of VM '{vm.Name}' compressed{sizes}."));
        });
}
