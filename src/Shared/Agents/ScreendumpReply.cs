namespace WebVirt.Shared.Agents;

public sealed record ScreendumpReply(AgentReply Result, byte[]? Png);
