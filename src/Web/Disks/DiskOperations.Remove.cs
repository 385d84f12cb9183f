using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
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
    public Task<OperationResult> DetachAsync(Guid vmId, string diskId, bool deleteImage, ClaimsPrincipal user) =>
        OnDiskAsync(vmId, diskId, deleteImage ? "deleting" : "detaching", user, async (action, db, vm, disk) =>
        {
            if (deleteImage)
            {
                if (await RefuseOnDiskPoolAsync(db, vm, disk, user, Privileges.DatastoreAllocateSpace) is { } refused)
                {
                    return refused;
                }

                var sharedWith = await (from d in db.Disks
                                        join v in db.Vms on d.VmId equals v.Id
                                        where v.HostId == vm.HostId && d.Path == disk.Path && v.Id != vm.Id
                                        select v.Name).FirstOrDefaultAsync();
                if (sharedWith is not null)
                {
                    return new OperationResult(OperationStatus.Conflict, $"The image of {diskId} is also a disk of VM '{sharedWith}': detach it without deleting the image.");
                }
            }

            var taskId = await StartTaskAsync(action, vm, deleteImage ? "vm.disk.delete" : "vm.disk.detach", $"{diskId}: {disk.Path}{(deleteImage ? ", image deleted" : ", image kept")}", user);
            var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.DetachDisk(vm.Id, diskId, deleteImage));
            if (!reply.Ok)
            {
                return await FinishAsync(action, taskId, AgentReplies.ToResult(reply));
            }

            ChangeDisks(vm, disks => [.. disks.Where(d => d.Id != diskId)]);
            if (await SaveAsync(db, vm, $"Disk {diskId} was removed") is { } conflict)
            {
                return await FinishAsync(action, taskId, conflict);
            }

            notifier.NotifyHostChanged(vm.HostId);
            var fileName = Path.GetFileName(disk.Path);
            return await FinishAsync(action, taskId, OperationResult.Done(deleteImage
                ? $"Disk {diskId} removed from VM '{vm.Name}' and its image '{fileName}' deleted."
                : $"Disk {diskId} detached from VM '{vm.Name}'; its image '{fileName}' stays in the pool."));
        });
}
