using WebVirt.Shared.Agents;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

internal static class StorageReplies
{
    public static OperationResult From(AgentReply reply, Guid? taskId = null) => new(reply.ErrorKind switch
    {
        AgentErrorKind.Invalid => OperationStatus.Invalid,
        AgentErrorKind.NotFound => OperationStatus.NotFound,
        AgentErrorKind.Conflict => OperationStatus.Conflict,
        _ => OperationStatus.HostFailed,
    }, reply.Error ?? "The host reported a failure.", taskId);

    public static OperationResult Forbidden(string what) => new(OperationStatus.Forbidden, $"You may not {what}.");
}
