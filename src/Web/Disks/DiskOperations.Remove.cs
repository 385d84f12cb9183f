using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Permissions;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>
    /// Removes a disk from the VM (hot-unplugged from a running one). Its image stays in the pool, or is deleted with
    /// <paramref name="deleteImage"/>, which also needs Datastore.AllocateSpace on the pool and is refused while
    /// another VM uses the same image.
    /// </summary>
    public Task<OperationResult> DetachAsync(Guid vmId, string diskId, bool deleteImage, ClaimsPrincipal user)
    {
        // The disk's image, found by the check.
        var path = "";
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            diskId,
            deleteImage ? "deleting" : "detaching",
            deleteImage ? "vm.disk.delete" : "vm.disk.detach",
            _ => agent => agent.DetachDisk(vmId, diskId, deleteImage),
            vm => deleteImage
                ? $"Disk {diskId} removed from VM '{vm.Name}' and its image '{Path.GetFileName(path)}' deleted."
                : $"Disk {diskId} detached from VM '{vm.Name}'; its image '{Path.GetFileName(path)}' stays in the pool.",
            () => $"Disk {diskId} was removed") with
        {
            Keys = DiskKeyHandover.None,
            Check = async vm =>
            {
                if (DiskOf(vm, diskId) is not { } disk)
                {
                    return NoDisk(vm, diskId);
                }

                path = disk.Path;
                return deleteImage ? await RefuseImageDeletionAsync(vm, disk, user) : null;
            },
            TaskDetails = _ => $"{diskId}: {path}{(deleteImage ? ", image deleted" : ", image kept")}",
            Apply = run =>
            {
                ChangeDisks(run.Vm, disks => [.. disks.Where(d => d.Id != diskId)]);
                notifier.NotifyHostChanged(run.Vm.HostId);
                return Task.CompletedTask;
            },
        }, user);
    }

    /// <summary>Deleting the image takes Datastore.AllocateSpace on its pool, and is refused while another VM uses it.</summary>
    private async Task<OperationResult?> RefuseImageDeletionAsync(VmRecord vm, DiskRecord disk, ClaimsPrincipal user)
    {
        await using var db = await contexts.CreateDbContextAsync();
        if (await RefuseOnDiskPoolAsync(vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
        {
            return refused;
        }

        var sharedWith = await (from d in db.Disks
                                join v in db.Vms on d.VmId equals v.Id
                                where v.HostId == vm.HostId && d.Path == disk.Path && v.Id != vm.Id
                                select v.Name).FirstOrDefaultAsync();
        return sharedWith is null
            ? null
            : new OperationResult(OperationStatus.Conflict, $"The image of {disk.DiskId} is also a disk of VM '{sharedWith}': detach it without deleting the image.");
    }
}
