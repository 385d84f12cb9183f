using WebVirt.Shared.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Operations;

/// <summary>What <see cref="VmCommand.Apply"/> works with: the tracked VM in its context, the task and the host's reply.</summary>
internal sealed class VmCommandRun(WebVirtDbContext db, VmRecord vm, Guid taskId, AgentReply reply)
{
    public WebVirtDbContext Db { get; } = db;

    public VmRecord Vm { get; } = vm;

    public Guid TaskId { get; } = taskId;

    public AgentReply Reply { get; } = reply;

    /// <summary>The VM the result and the notification are about: a new VM's when the command made one (a clone).</summary>
    public Guid ResultVmId { get; set; } = vm.Id;
}
