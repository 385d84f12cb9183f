using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>Per-disk I/O limits, live through the disk's throttle group and in the stored definition.</summary>
internal sealed class DiskLimits(VmRegistry registry, VmDefinitionStore store, ILogger<DiskLimits> logger)
{
    public Task<AgentReply> SetDiskIoLimits(Guid uuid, string diskId, DiskIoLimits? limits) =>
        registry.RunAsync(uuid, VmOperations.DiskIoLimits, async (entry, cancellationToken) =>
        {
            if (VmDisks.FindDisk(entry, diskId, out var definition, out var disk) is { } refusal)
            {
                return refusal;
            }

            var wanted = limits is { IsUnlimited: false } ? limits : null;
            if (wanted is not null && DefinitionValidator.CheckIoLimits(wanted) is { } invalid)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"Disk '{disk.Id}': {invalid}.");
            }

            if (entry.Run is { } run)
            {
                // QEMU's own state decides: a disk started with limits keeps its group even once they are lifted.
                var group = QemuCommandLine.ThrottleGroupId(disk.Id);
                if (await DiskHotplug.HasObjectAsync(run.Process.Qmp, group, cancellationToken).ConfigureAwait(false))
                {
                    await run.Process.Qmp.SetThrottleLimitsAsync(group, wanted ?? new DiskIoLimits(), cancellationToken).ConfigureAwait(false);
                }
                else if (wanted is not null)
                {
                    return AgentReply.Failure(AgentErrorKind.Conflict,
                        $"VM '{entry.Name}' is running and disk '{disk.Id}' was started without I/O limits: stop the VM to add limits to a disk that had none.");
                }
            }

            var changed = VmDisks.WithDisk(definition, disk with { IoLimits = wanted });
            store.Save(changed);
            entry.Commit(changed);
            DiskLog.LimitsSet(logger, entry.Uuid, disk.Id, wanted?.ToString() ?? "unlimited", entry.Run is not null);
            return AgentReply.Success(entry.Report("disk-limits-changed"));
        });
}
