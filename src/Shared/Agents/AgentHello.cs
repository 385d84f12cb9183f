namespace WebVirt.Shared.Agents;

/// <summary>The agent's first call after every (re)connect: who it is and what runs on it.</summary>
public sealed record AgentHello(int ProtocolVersion, HostFacts Facts, IReadOnlyList<VmReport> Vms);
