using System.Security.Claims;
using WebVirt.Shared.Vms;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Disks;

internal sealed partial class DiskOperations
{
    /// <summary>
    /// Changes a disk's options. Bus, cache and discard go through the VM's hardware changes (applied at once on a
    /// stopped VM, pending until the next start on a running one); I/O limits apply at once, live where the VM runs.
    /// Everything is checked before either part is done.
    /// </summary>
    public Task<OperationResult> UpdateOptionsAsync(Guid vmId, string diskId, UpdateDiskOptionsRequest request, ClaimsPrincipal user) =>
        OnDiskAsync(vmId, diskId, "changing options", user, async (action, db, vm, _) =>
        {
            if (CheckIoLimits(request.IoLimits) is { } badLimits)
            {
                return Invalid(badLimits);
            }

            var basis = vm.PendingDefinition ?? VmRecordMapper.ToDefinition(vm);
            var basisDisk = basis.Disks.First(d => d.Id == diskId);
            var options = new HardwareDiskOptions(request.Bus, request.Cache, request.Discard);
            var optionsChanged = options != new HardwareDiskOptions(basisDisk.Bus, basisDisk.Cache, basisDisk.Discard);
            var hardware = HardwareRequestOf(diskId, options);
            if (optionsChanged && VmOperations.WithHardware(basis, hardware).Errors is { Count: > 0 } errors)
            {
                return Invalid(string.Join("; ", errors));
            }

            var limits = Normalize(request.IoLimits);
            var currentLimits = VmRecordMapper.ToDefinition(vm).Disks.First(d => d.Id == diskId).IoLimits;
            var limitsChanged = limits != currentLimits;
            if (!optionsChanged && !limitsChanged)
            {
                return OperationResult.Done($"Disk {diskId} of VM '{vm.Name}': nothing to change.", null, vm.Id);
            }

            var messages = new List<string>();
            Guid? hardwareTask = null;
            if (optionsChanged)
            {
                var changed = await vms.UpdateHardwareAsync(vmId, hardware, user);
                if (!changed.Succeeded)
                {
                    return changed;
                }

                hardwareTask = changed.TaskId;
                messages.Add(changed.Message);
            }

            if (!limitsChanged)
            {
                return OperationResult.Done(string.Join(" ", messages), hardwareTask, vm.Id);
            }

            // The hardware change (if any) wrote the VM: read it again before changing it once more.
            await db.Entry(vm).ReloadAsync();
            foreach (var disk in vm.Disks)
            {
                await db.Entry(disk).ReloadAsync();
            }

            var taskId = await StartTaskAsync(action, vm, "vm.disk.iolimits", $"{diskId}: {Describe(currentLimits)} → {Describe(limits)}", user);
            var reply = await agents.SendAsync(vm.HostId, vm.Host!.Name, agent => agent.SetDiskIoLimits(vm.Id, diskId, limits));
            if (!reply.Ok)
            {
                return await FinishAsync(action, taskId, AgentReplies.ToResult(reply));
            }

            ChangeDisks(vm, disks => [.. disks.Select(d => d.Id == diskId ? d with { IoLimits = limits } : d)]);
            if (await SaveAsync(db, vm, $"The I/O limits of disk {diskId} were changed") is { } conflict)
            {
                return await FinishAsync(action, taskId, conflict);
            }

            messages.Add(IsStopped(vm) ? $"I/O limits of disk {diskId} set." : $"I/O limits of disk {diskId} set on the running VM.");
            return await FinishAsync(action, taskId, OperationResult.Done(string.Join(" ", messages)));
        });

    /// <summary>A hardware change of one disk's launch-time options only: what it leaves out stays as it is (or will be).</summary>
    internal static UpdateVmHardwareRequest HardwareRequestOf(string diskId, HardwareDiskOptions options) => new()
    {
        DiskOptions = new Dictionary<string, HardwareDiskOptions> { [diskId] = options },
    };

    /// <summary>Limits in words, for the audit row and the task list.</summary>
    public static string Describe(DiskIoLimits? limits)
    {
        if (limits is null || limits.IsUnlimited)
        {
            return "unlimited";
        }

        var parts = new List<string>();
        void Add(string what, long? value, Func<long, string> show)
        {
            if (value is { } v)
            {
                parts.Add($"{what} {show(v)}");
            }
        }

        Add("read", limits.ReadBytesPerSecond, v => $"{WebVirt.Web.Components.Shared.Format.Bytes(v)}/s");
        Add("write", limits.WriteBytesPerSecond, v => $"{WebVirt.Web.Components.Shared.Format.Bytes(v)}/s");
        Add("read", limits.ReadIops, v => $"{v} IOPS");
        Add("write", limits.WriteIops, v => $"{v} IOPS");
        return string.Join(", ", parts);
    }
}
