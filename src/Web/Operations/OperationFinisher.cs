using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Tasks;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>
/// The end every agent-backed VM operation shares: the reply's report goes through the ordered writer, the task
/// completes or fails, and open pages are told; a failure is finished and announced exactly like a success.
/// </summary>
internal sealed class OperationFinisher(TaskLog tasks, InventoryNotifier notifier, VmStateWriter states)
{
    /// <summary>Finishes with the agent's reply: <paramref name="message"/> when it succeeded, its error when not.</summary>
    public async Task<OperationResult> FinishAsync(Guid taskId, Guid vmId, AgentReply reply, string message)
    {
        if (reply.Ok && reply.Vm is { } report)
        {
            await states.ApplyOutcomeAsync(vmId, null, report);
        }

        if (reply.Ok && reply.Vm?.Reason is { } reason)
        {
            await tasks.AppendAsync(taskId, reason);
        }

        return await FinishAsync(taskId, vmId, reply.Ok ? OperationResult.Done(message) : AgentReplies.ToResult(reply));
    }

    /// <summary>Finishes with the agent's refusal or failure.</summary>
    public Task<OperationResult> FailAsync(Guid taskId, Guid vmId, AgentReply reply) => FinishAsync(taskId, vmId, AgentReplies.ToResult(reply));

    /// <summary>Finishes with an outcome the operation worked out itself.</summary>
    public async Task<OperationResult> FinishAsync(Guid taskId, Guid vmId, OperationResult result)
    {
        var finished = await FinishWrittenAsync(taskId, vmId, result);
        notifier.NotifyVmChanged(vmId);
        return finished;
    }

    /// <summary>
    /// Finishes with an outcome the operation wrote through <see cref="VmStateWriter"/> itself (power): the writer told
    /// open pages when it changed anything, and a second event would refresh them for nothing.
    /// </summary>
    public async Task<OperationResult> FinishWrittenAsync(Guid taskId, Guid vmId, OperationResult result)
    {
        if (result.Succeeded)
        {
            await tasks.CompleteAsync(taskId);
        }
        else
        {
            await tasks.FailAsync(taskId, result.Message);
        }

        return result with { TaskId = taskId, VmId = vmId };
    }
}
