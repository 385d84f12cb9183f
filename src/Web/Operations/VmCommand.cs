using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>One agent-backed action on a VM, as <see cref="VmCommandPipeline"/> runs it.</summary>
/// <param name="Privilege">What the user must hold on the VM.</param>
/// <param name="TaskKind">The task's kind, such as <c>vm.snapshot</c>.</param>
/// <param name="Send">The agent call, given the task's id (for the agent's progress reports).</param>
/// <param name="Done">The message of a success, given the VM.</param>
internal sealed record VmCommand(string Privilege, string TaskKind, Func<Guid, Func<IAgentClient, Task<AgentReply>>> Send, Func<VmRecord, string> Done)
{
    public string? TaskDetails { get; init; }

    public TimeSpan? Timeout { get; init; }

    /// <summary>Checks of the request against the loaded VM, before any task is recorded; null lets it run.</summary>
    public Func<VmRecord, Task<OperationResult?>>? Check { get; init; }
}
