using System.Security.Claims;
using WebVirt.Shared.Agents;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Operations;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Storage;

/// <summary>
/// The end pool and pool-file changes share, the host-level counterpart of <see cref="VmCommandPipeline"/>: a task,
/// the agent call, the panel's change on success, and the host's pages told. A refusal fails the task and changes nothing.
/// </summary>
internal sealed class PoolCommandRunner(AgentGateway agents, TaskLog tasks, InventoryNotifier notifier)
{
    public async Task<OperationResult> RunAsync(PoolCommand command, ClaimsPrincipal user)
    {
        var task = await tasks.StartAsync(command.TaskKind, "pool", command.Pool.Id.ToString(), command.Pool.Name, Actor.NameOf(user), command.Details);
        var reply = await agents.SendAsync(command.Host.Id, command.Host.Name, command.Send);
        if (!reply.Ok && !(command.GoneIsDone && reply.ErrorKind == AgentErrorKind.NotFound))
        {
            await tasks.FailAsync(task.Id, reply.Error!);
            return AgentReplies.ToResult(reply, task.Id);
        }

        await command.Apply();
        await tasks.CompleteAsync(task.Id);
        notifier.NotifyHostChanged(command.Host.Id);
        return OperationResult.Done(command.Done, task.Id);
    }
}
