using WebVirt.Shared.Agents;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>The one mapping of an agent's failure onto what the API and the UI show.</summary>
internal static class AgentReplies
{
    public static OperationResult ToResult(AgentReply reply, Guid? taskId = null) => new(reply.ErrorKind switch
    {
        AgentErrorKind.Invalid => OperationStatus.Invalid,
        AgentErrorKind.NotFound => OperationStatus.NotFound,
        AgentErrorKind.Conflict => OperationStatus.Conflict,
        _ => OperationStatus.HostFailed,
    }, reply.Error ?? "The host reported a failure.", taskId);
}
