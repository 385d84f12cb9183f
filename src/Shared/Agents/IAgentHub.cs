namespace WebVirt.Shared.Agents;

/// <summary>What an agent calls on the panel's hub.</summary>
public interface IAgentHub
{
    /// <summary>Registers after every (re)connect; the panel reconciles the reported VMs with its inventory.</summary>
    Task<AgentWelcome> Register(AgentHello hello);

    /// <summary>A VM's state changed on the host (started, paused, powered off, killed …).</summary>
    Task ReportVmState(VmReport report);

    /// <summary>Progress of a long operation (snapshot, clone, backup) the panel started as a task.</summary>
    Task ReportTaskProgress(TaskProgress progress);
}
