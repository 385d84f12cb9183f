using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using WebVirt.Shared.Agents;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Agents;

/// <summary>
/// The hub every agent dials out to. It stays thin: it checks the protocol version, tracks which
/// connection serves which host, and hands reports to <see cref="HostStateSync"/>.
/// </summary>
[Authorize(AuthenticationSchemes = HostTokenAuthentication.Scheme)]
internal sealed class AgentHub(AgentRegistry registry, HostStateSync sync, HostContacts contacts, TaskLog tasks, ILogger<AgentHub> logger) : Hub<IAgentClient>, IAgentHub
{
    private Guid HostId => Guid.Parse(Context.User!.FindFirst(HostTokenAuthentication.HostIdClaim)!.Value);

    public async Task<AgentWelcome> Register(AgentHello hello)
    {
        if (hello.ProtocolVersion != AgentProtocol.Version)
        {
            var message = $"Agent protocol version {hello.ProtocolVersion} is not supported: this panel speaks version {AgentProtocol.Version}. Install matching versions of the panel and the agent.";
            AgentHubLog.ProtocolMismatch(logger, HostId, hello.ProtocolVersion, AgentProtocol.Version);

            // Close once the refusal has been delivered, so the agent can read why.
            var context = Context;
            _ = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ => context.Abort(), TaskScheduler.Default);
            return new AgentWelcome(false, message, HostId);
        }

        contacts.Heard(HostId);
        registry.Attach(HostId, Context);
        await sync.OnRegisteredAsync(HostId, hello);
        AgentHubLog.Registered(logger, HostId, hello.Facts.Hostname, hello.Vms.Count);
        return new AgentWelcome(true, $"Registered as host {HostId}.", HostId);
    }

    public Task ReportVmState(VmReport report)
    {
        contacts.Heard(HostId);
        return sync.OnVmReportAsync(HostId, report);
    }

    /// <summary>Progress of a task the panel started; the task log ignores unknown or finished tasks and clamps the value.</summary>
    public Task ReportTaskProgress(TaskProgress progress)
    {
        contacts.Heard(HostId);
        return progress is null || double.IsNaN(progress.Fraction) ? Task.CompletedTask : tasks.ReportProgressAsync(progress.TaskId, progress.Fraction);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.User?.FindFirst(HostTokenAuthentication.HostIdClaim) is not null && registry.Detach(HostId, Context.ConnectionId))
        {
            await sync.OnDisconnectedAsync(HostId, contacts.LastContact(HostId, exception is null));
            AgentHubLog.Disconnected(logger, HostId);
        }

        await base.OnDisconnectedAsync(exception);
    }
}
