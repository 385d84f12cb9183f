using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Agents;

internal static class HostFactsMapper
{
    public static void Apply(HostRecord host, HostFacts facts)
    {
        host.Hostname = facts.Hostname;
        host.CpuModel = facts.CpuModel;
        host.CpuThreads = facts.CpuThreads;
        host.MemoryBytes = facts.MemoryBytes;
        host.Accelerator = facts.Accelerator;
        host.AcceleratorReason = facts.AcceleratorReason;
        host.QemuVersion = facts.QemuVersion;
        host.AgentVersion = facts.AgentVersion;
        host.ImagePool = facts.ImagePool;
        host.StorageTotalBytes = facts.StorageTotalBytes;
        host.StorageFreeBytes = facts.StorageFreeBytes;
    }
}
