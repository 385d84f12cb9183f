using WebVirt.Shared.Agents;

namespace WebVirt.Shared.Storage;

public sealed record PoolContentReply(AgentReply Result, IReadOnlyList<PoolFile> Files);
