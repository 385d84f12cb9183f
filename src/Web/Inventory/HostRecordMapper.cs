using WebVirt.Shared.Agents;

namespace WebVirt.Web.Inventory;

/// <summary>Copies the facts an agent registers with into its <see cref="HostRecord"/>, and back.</summary>
internal static class HostRecordMapper
{
    public static void ApplyFacts(HostRecord record, HostFacts facts)
    {
        record.Hostname = facts.Hostname;
        record.CpuModel = facts.CpuModel;
        record.CpuThreads = facts.CpuThreads;
        record.MemoryBytes = facts.MemoryBytes;
        record.Accelerator = facts.Accelerator;
        record.AcceleratorReason = facts.AcceleratorReason;
        record.QemuVersion = facts.QemuVersion;
        record.AgentVersion = facts.AgentVersion;
        record.ImagePool = facts.ImagePool;
        record.StorageTotalBytes = facts.StorageTotalBytes;
        record.StorageFreeBytes = facts.StorageFreeBytes;
        record.IsolationGaps = facts.IsolationGaps.Count > 0 ? string.Join('\n', facts.IsolationGaps) : null;
    }

    /// <summary>The host's isolation gaps as a list (empty when there are none).</summary>
    public static IReadOnlyList<string> IsolationGapsOf(HostRecord record) =>
        record.IsolationGaps?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The host's facts, or null when its agent has not registered yet.</summary>
    public static HostFacts? ToFacts(HostRecord record) =>
        record is
        {
            Hostname: { } hostname, CpuModel: { } cpuModel, CpuThreads: { } cpuThreads, MemoryBytes: { } memoryBytes,
            Accelerator: { } accelerator, AcceleratorReason: { } acceleratorReason, QemuVersion: { } qemuVersion,
            AgentVersion: { } agentVersion, ImagePool: { } imagePool, StorageTotalBytes: { } storageTotalBytes,
            StorageFreeBytes: { } storageFreeBytes,
        }
            ? new HostFacts
            {
                Hostname = hostname,
                CpuModel = cpuModel,
                CpuThreads = cpuThreads,
                MemoryBytes = memoryBytes,
                Accelerator = accelerator,
                AcceleratorReason = acceleratorReason,
                QemuVersion = qemuVersion,
                AgentVersion = agentVersion,
                ImagePool = imagePool,
                StorageTotalBytes = storageTotalBytes,
                StorageFreeBytes = storageFreeBytes,
                IsolationGaps = IsolationGapsOf(record),
            }
            : null;
}
