namespace WebVirt.Shared.Agents;

/// <summary>The agent's answer to a command: success with the VM's state after it, or an error a user can read.</summary>
public sealed record AgentReply
{
    public bool Ok => Error is null;
    public AgentErrorKind? ErrorKind { get; init; }
    public string? Error { get; init; }
    public VmReport? Vm { get; init; }

    public static AgentReply Success(VmReport? vm = null) => new() { Vm = vm };

    public static AgentReply Failure(AgentErrorKind kind, string error) => new() { ErrorKind = kind, Error = error };
}
