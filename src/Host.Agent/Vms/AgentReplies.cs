using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>The refusals every feature service gives in the same words.</summary>
internal static class AgentReplies
{
    public static AgentReply ShuttingDown(string operation) =>
        AgentReply.Failure(AgentErrorKind.Failed, $"Could not {operation} the VM: the agent is shutting down.");

    public static AgentReply NotFound(Guid uuid) => AgentReply.Failure(AgentErrorKind.NotFound, $"There is no VM {uuid} on this host.");

    public static AgentReply Busy(VmEntry entry, string running) =>
        AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is busy: {running} is in progress.");

    public static AgentReply NotRunning(VmEntry entry) => AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is not running.");

    public static AgentReply NoDefinition(VmEntry entry) =>
        AgentReply.Failure(AgentErrorKind.NotFound, $"VM {entry.Uuid} runs on this host without a definition; define it first.");
}
