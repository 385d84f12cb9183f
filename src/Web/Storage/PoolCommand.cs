using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Storage;

/// <summary>One agent-backed change of a pool, as <see cref="PoolCommandRunner"/> runs it once its checks have passed.</summary>
/// <param name="Pool">The task's target.</param>
/// <param name="TaskKind">The task's kind, such as <c>pool.add</c>.</param>
/// <param name="Details">The task's details for the audit row.</param>
/// <param name="Send">The agent call.</param>
/// <param name="Apply">The panel's own change once the host did it (the pool's or the file's record).</param>
/// <param name="Done">The message of a success.</param>
internal sealed record PoolCommand(
    HostRecord Host,
    StoragePool Pool,
    string TaskKind,
    string Details,
    Func<IAgentClient, Task<AgentReply>> Send,
    Func<Task> Apply,
    string Done)
{
    /// <summary>The host's "no such thing" counts as done: what is to be removed is gone already.</summary>
    public bool GoneIsDone { get; init; }
}
