using System.Security.Claims;
using WebVirt.Shared.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>Grows a disk (qemu-img on a stopped VM, live on a running one); a size not above the current one is refused.</summary>
    public Task<OperationResult> ResizeAsync(Guid vmId, string diskId, ResizeVmDiskRequest request, ClaimsPrincipal user)
    {
        var sizeBytes = request.SizeMiB * 1024 * 1024;

        // The host's measure, found by the check.
        long measuredBytes = 0;
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            diskId,
            "resizing",
            "vm.disk.resize",
            _ => agent => agent.ResizeDisk(vmId, diskId, sizeBytes),
            vm => $"Disk {diskId} of VM '{vm.Name}' grown to {Format.Bytes(sizeBytes)}.",
            () => $"Disk {diskId} was grown") with
        {
            Timeout = _ => LongTimeout,
            Check = async vm =>
            {
                if (DiskOf(vm, diskId) is not { } disk)
                {
                    return NoDisk(vm, diskId);
                }

                if (request.SizeMiB is < 1 or > MaxSizeMiB)
                {
                    return Invalid($"sizeMiB: must be between 1 MiB and {MaxSizeMiB} MiB (64 TiB)");
                }

                if (await RefuseOnDiskPoolAsync(vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
                {
                    return refused;
                }

                // The host's measure, not the inventory's, decides: the image may have been grown elsewhere.
                var (usage, error) = await MeasureAsync(vm);
                if (usage?.FirstOrDefault(u => u.DiskId == diskId) is not { Error: null } measured)
                {
                    return error ?? new OperationResult(OperationStatus.HostFailed, $"Host '{vm.Host!.Name}' could not measure disk {diskId}.");
                }

                measuredBytes = measured.VirtualBytes;
                return sizeBytes <= measuredBytes
                    ? Invalid($"sizeMiB: disk {diskId} is {Format.Bytes(measuredBytes)} ({measuredBytes / (1024 * 1024)} MiB) already; disks can only grow")
                    : null;
            },
            TaskDetails = _ => $"{diskId}: {Format.Bytes(measuredBytes)} → {Format.Bytes(sizeBytes)}",
            Apply = run =>
            {
                DiskOf(run.Vm, diskId)!.SizeBytes = sizeBytes;
                return Task.CompletedTask;
            },
        }, user);
    }

    /// <summary>Moves a stopped VM's disk image into another pool (optionally converting it), with progress; the old image is deleted.</summary>
    public Task<OperationResult> MoveAsync(Guid vmId, string diskId, MoveVmDiskRequest request, ClaimsPrincipal user)
    {
        // The target, found by the check.
        StoragePool pool = null!;
        var format = DiskFormat.Qcow2;
        var targetName = "";
        var oldPath = "";
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            diskId,
            "moving",
            "vm.disk.move",
            taskId => agent => agent.MoveDisk(new MoveDiskRequest
            {
                Uuid = vmId,
                DiskId = diskId,
                TargetPool = pool.Path,
                TargetFormat = request.Format,
                DeleteSource = true,
                TaskId = taskId,
            }),
            vm => $"Disk {diskId} of VM '{vm.Name}' moved to pool '{pool.Name}'.",
            () => $"Disk {diskId} was moved") with
        {
            Timeout = _ => LongTimeout,
            Check = async vm =>
            {
                if (DiskOf(vm, diskId) is not { } disk)
                {
                    return NoDisk(vm, diskId);
                }

                if (!IsStopped(vm))
                {
                    return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is {vm.ActualState.ToString().ToLowerInvariant()}: stop it before moving a disk, whose image is copied while nothing writes to it.");
                }

                format = request.Format ?? disk.Format;
                if (!Enum.IsDefined(format))
                {
                    return Invalid("format: must be qcow2 or raw");
                }

                if (disk.Encrypted && format != DiskFormat.Qcow2)
                {
                    return Invalid("format: an encrypted disk stays qcow2");
                }

                await using var db = await contexts.CreateDbContextAsync();
                var (found, refusal) = await PoolAsync(db, vm, request.PoolId, user, Privileges.DatastoreAllocateSpace, "poolId");
                if (found is null)
                {
                    return refusal!;
                }

                pool = found;
                if (Path.GetDirectoryName(disk.Path) == pool.Path.TrimEnd('/') && format == disk.Format)
                {
                    return Invalid($"poolId: disk {diskId} is in pool '{pool.Name}' already");
                }

                var (files, error) = await FilesInAsync(vm, pool);
                if (files is null)
                {
                    return error!;
                }

                oldPath = disk.Path;
                targetName = DiskNames.ImageFileName(vm.Id, diskId, format);
                return files.Any(f => f.Name == targetName) && DiskNames.PathIn(pool.Path, targetName) != disk.Path
                    ? new OperationResult(OperationStatus.Conflict, $"Pool '{pool.Name}' has a file '{targetName}' already (a detached image?): delete or rename it first.")
                    : null;
            },
            TaskDetails = _ => $"{diskId}: {oldPath} → pool {pool.Name} as {DiskNames.Extension(format)}",
            Apply = async run =>
            {
                // The host names the moved image; its measure says where it is now.
                var (usage, _) = await MeasureAsync(run.Vm);
                var newPath = usage?.FirstOrDefault(u => u.DiskId == diskId)?.Path ?? DiskNames.PathIn(pool.Path, targetName);
                ChangeDisks(run.Vm, disks => [.. disks.Select(d => d.Id == diskId ? d with { Path = newPath, Format = format } : d)]);
                await tasks.AppendAsync(run.TaskId, $"Now at {newPath}.");
                notifier.NotifyHostChanged(run.Vm.HostId);
            },
        }, user);
    }

    /// <summary>Rewrites a stopped VM's qcow2 disk compressed, with progress; refused while the VM runs.</summary>
    public Task<OperationResult> CompressAsync(Guid vmId, string diskId, ClaimsPrincipal user)
    {
        // The image's path and its size on the host before, found by the check; the sizes in words, by the end.
        var path = "";
        long? before = null;
        var sizes = "";
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            diskId,
            "compressing",
            "vm.disk.compress",
            taskId => agent => agent.CompressDisk(vmId, diskId, taskId),
            vm => $"Disk {diskId} of VM '{vm.Name}' compressed{sizes}.",
            () => $"Disk {diskId} was compressed") with
        {
            Timeout = _ => LongTimeout,
            Check = async vm =>
            {
                if (DiskOf(vm, diskId) is not { } disk)
                {
                    return NoDisk(vm, diskId);
                }

                if (disk.Format != DiskFormat.Qcow2)
                {
                    return Invalid($"Disk {diskId} is raw: only qcow2 images can be compressed (move it to qcow2 first).");
                }

                if (!IsStopped(vm))
                {
                    return new OperationResult(OperationStatus.Conflict, $"VM '{vm.Name}' is {vm.ActualState.ToString().ToLowerInvariant()}: stop it before compressing a disk, whose image is rewritten.");
                }

                if (await RefuseOnDiskPoolAsync(vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
                {
                    return refused;
                }

                path = disk.Path;
                var (usage, _) = await MeasureAsync(vm);
                before = usage?.FirstOrDefault(u => u.DiskId == diskId)?.ActualBytes;
                return null;
            },
            TaskDetails = _ => $"{diskId}: {path}",
            Apply = async run =>
            {
                // Nothing of the record changes: the sizes go to the task and the pool's page.
                var (after, _) = await MeasureAsync(run.Vm);
                var now = after?.FirstOrDefault(u => u.DiskId == diskId)?.ActualBytes;
                sizes = before is { } w && now is { } n ? $": {Format.Bytes(w)} → {Format.Bytes(n)} on disk" : "";
                await tasks.AppendAsync(run.TaskId, $"Compressed{sizes}.");
                notifier.NotifyHostChanged(run.Vm.HostId);
            },
        }, user);
    }
}
