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
    public Task<OperationResult> UpdateOptionsAsync(Guid vmId, string diskId, UpdateDiskOptionsRequest request, ClaimsPrincipal user)
    {
        var limits = Normalize(request.IoLimits);

        // Found by the check: the limits before, and the outcome of the launch-time options' change.
        DiskIoLimits? currentLimits = null;
        OperationResult? hardware = null;
        return pipeline.RunAsync(vmId, DiskCommand(
            vmId,
            diskId,
            "changing options",
            "vm.disk.iolimits",
            _ => agent => agent.SetDiskIoLimits(vmId, diskId, limits),
            vm => string.Join(" ", new[] { hardware?.Message, IsStopped(vm) ? $"I/O limits of disk {diskId} set." : $"I/O limits of disk {diskId} set on the running VM." }.OfType<string>()),
            () => $"The I/O limits of disk {diskId} were changed") with
        {
            Keys = DiskKeyHandover.None,
            Check = async vm =>
            {
                if (DiskOf(vm, diskId) is null)
                {
                    return NoDisk(vm, diskId);
                }

                if (CheckIoLimits(request.IoLimits) is { } badLimits)
                {
                    return Invalid(badLimits);
                }

                var basis = vm.PendingDefinition ?? VmRecordMapper.ToDefinition(vm);
                var basisDisk = basis.Disks.First(d => d.Id == diskId);
                var options = new HardwareDiskOptions(request.Bus, request.Cache, request.Discard);
                var optionsChanged = options != new HardwareDiskOptions(basisDisk.Bus, basisDisk.Cache, basisDisk.Discard);
                var change = HardwareRequestOf(diskId, options);
                if (optionsChanged && VmOperations.WithHardware(basis, change).Errors is { Count: > 0 } errors)
                {
                    return Invalid(string.Join("; ", errors));
                }

                currentLimits = VmRecordMapper.ToDefinition(vm).Disks.First(d => d.Id == diskId).IoLimits;
                var limitsChanged = limits != currentLimits;
                if (!optionsChanged && !limitsChanged)
                {
                    return OperationResult.Done($"Disk {diskId} of VM '{vm.Name}': nothing to change.", null, vm.Id);
                }

                // Bus, cache and discard are a hardware change, its own task, done first while this holds the disk slot;
                // when the limits stay, its outcome is the whole answer.
                if (optionsChanged)
                {
                    hardware = await vms.UpdateHardwareAsync(vmId, change, user);
                    if (!hardware.Succeeded || !limitsChanged)
                    {
                        return hardware.Succeeded ? OperationResult.Done(hardware.Message, hardware.TaskId, vm.Id) : hardware;
                    }
                }

                return null;
            },
            TaskDetails = _ => $"{diskId}: {Describe(currentLimits)} → {Describe(limits)}",
            Apply = async run =>
            {
                // The hardware change (if any) wrote the VM after it was loaded: read it again before changing it once more.
                if (hardware is not null)
                {
                    await run.Db.Entry(run.Vm).ReloadAsync();
                    foreach (var disk in run.Vm.Disks)
                    {
                        await run.Db.Entry(disk).ReloadAsync();
                    }
                }

                ChangeDisks(run.Vm, disks => [.. disks.Select(d => d.Id == diskId ? d with { IoLimits = limits } : d)]);
            },
        }, user);
    }

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
