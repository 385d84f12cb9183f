using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Storage;

public sealed record PoolListReply(AgentReply Result, IReadOnlyList<PoolStatus> Pools);
