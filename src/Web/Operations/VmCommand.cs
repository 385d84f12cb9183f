using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Operations;

/// <summary>One agent-backed action on a VM, as <see cref="VmCommandPipeline"/> runs it.</summary>
/// <param name="Privilege">What the user must hold on the VM.</param>
/// <param name="TaskKind">The task's kind, such as <c>vm.snapshot</c>.</param>
/// <param name="Send">
/// The agent call, given the task's id (for the agent's progress reports); null when, after the checks, the host has
/// nothing to do (a change kept in the panel until the VM's next start).
/// </param>
/// <param name="Done">The message of a success, given the VM (after <see cref="Apply"/>).</param>
internal sealed record VmCommand(string Privilege, string TaskKind, Func<Guid, Func<IAgentClient, Task<AgentReply>>?> Send, Func<VmRecord, string> Done)
{
    /// <summary>The task's details for the audit row, given the VM once <see cref="Check"/> has passed (what it found may be named).</summary>
    public Func<VmRecord, string?>? TaskDetails { get; init; }

    /// <summary>How long the host may take, given the VM once <see cref="Check"/> has passed; null for the gateway's default.</summary>
    public Func<VmRecord, TimeSpan?>? Timeout { get; init; }

    /// <summary>Who may run it and in which order the checks answer; by default the privilege is checked before the VM is looked up.</summary>
    public VmAccess Access { get; init; } = VmAccess.Default;

    /// <summary>Which disk keys the host is handed before <see cref="Send"/>; by default the VM's own.</summary>
    public DiskKeyHandover Keys { get; init; } = DiskKeyHandover.OfVm;

    /// <summary>
    /// Something held while the command runs (the VM's one disk slot), taken once the user is allowed and before the VM is
    /// loaded; a refusal when it is busy.
    /// </summary>
    public Func<(IVmCommandSlot? Slot, OperationResult? Busy)>? Slot { get; init; }

    /// <summary>
    /// Checks of the request against the loaded VM, before any task is recorded: null lets it run; a result ends the
    /// command with it (a refusal, or an answer that needs no task of its own, such as "nothing to change").
    /// </summary>
    public Func<VmRecord, Task<OperationResult?>>? Check { get; init; }

    /// <summary>
    /// A step of the panel's own once the task is recorded and before the host is sent the command (a stopped VM's pending
    /// definition goes to its host before it starts); a result ends the task with it instead.
    /// </summary>
    public Func<VmCommandRun, Task<OperationResult?>>? Prepare { get; init; }

    /// <summary>
    /// Writes a success into the inventory: the VM is then loaded tracked, and saved after this has changed it (a new
    /// definition, a disk's size, a new VM). Null for commands whose outcome is only the VM's reported state.
    /// </summary>
    public Func<VmCommandRun, Task>? Apply { get; init; }

    /// <summary>The conflict's message when someone else changed the VM while the host worked; given the VM.</summary>
    public Func<VmRecord, string> SaveConflict { get; init; } = _ => "Someone else changed the VM at the same time; reload and try again.";

    /// <summary>
    /// Whether a success's report goes through the ordered state writer. Off for the commands that write the inventory
    /// themselves (<see cref="Apply"/>): they have never taken the reply's report, and taking it would add its reason to
    /// their task logs.
    /// </summary>
    public bool ReconcilesReport { get; init; } = true;

    /// <summary>
    /// Works out a success's outcome instead of reconciling the reply's report (power writes the state the user asked
    /// for with the report, and applies pending changes once the VM stopped); null ends it with <see cref="Done"/>. It
    /// writes through <see cref="VmStateWriter"/>, whose change event is the one open pages get.
    /// </summary>
    public Func<VmCommandRun, Task<OperationResult?>>? Outcome { get; init; }

    /// <summary>Whether the command works on the VM's record in the pipeline's context, so the VM is loaded tracked.</summary>
    internal bool ChangesRecord => Apply is not null || Prepare is not null || Outcome is not null;
}
