using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>Finding and replacing one disk of a VM's definition, and the sizes every disk action holds to.</summary>
internal static class VmDisks
{
    /// <summary>The largest image qemu-img creates (64 TiB), also the ceiling for growing one.</summary>
    public const long MaxDiskBytes = 64L << 40;

    public const int SectorBytes = 512;

    /// <summary>Null with the VM's definition and disk, or the reply that refuses the action.</summary>
    public static AgentReply? FindDisk(VmEntry entry, string? diskId, out VmDefinition definition, out DiskDefinition disk)
    {
        definition = entry.Definition!;
        disk = null!;
        if (entry.Definition is null)
        {
            return AgentReplies.NoDefinition(entry);
        }

        if (definition.Disks.FirstOrDefault(d => d.Id == diskId) is not { } found)
        {
            return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' has no disk '{diskId}'.");
        }

        disk = found;
        return null;
    }

    public static VmDefinition WithDisk(VmDefinition definition, DiskDefinition disk) =>
        definition with { Disks = [.. definition.Disks.Select(d => d.Id == disk.Id ? disk : d)] };
}
