using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Disks;

public sealed record DiskUsageReply(AgentReply Reply, IReadOnlyList<DiskUsage> Disks);
