using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Operations;

/// <summary>What the steps of a <see cref="VmCommand"/> after its task started work with: the tracked VM in its context, the task and the host's reply.</summary>
internal sealed class VmCommandRun(WebVirtDbContext db, VmRecord vm, Guid taskId)
{
    public WebVirtDbContext Db { get; } = db;

    public VmRecord Vm { get; } = vm;

    public Guid TaskId { get; } = taskId;

    /// <summary>The host's reply, once it came (a success by the time <see cref="VmCommand.Apply"/> and <see cref="VmCommand.Outcome"/> see it).</summary>
    public AgentReply Reply { get; set; } = AgentReply.Success();

    /// <summary>The VM the result and the notification are about: a new VM's when the command made one (a clone).</summary>
    public Guid ResultVmId { get; set; } = vm.Id;
}
