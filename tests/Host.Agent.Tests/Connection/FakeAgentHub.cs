using Microsoft.AspNetCore.SignalR;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Connection;

/// <summary>The panel's side of the agent contract, recording instead of reconciling.</summary>
internal sealed class FakeAgentHub(FakePanelState state) : Hub<IAgentClient>, IAgentHub
{
    public Task<AgentWelcome> Register(AgentHello hello)
    {
        state.Registrations.Writer.TryWrite((Context.ConnectionId, hello));
        return Task.FromResult(state.Welcome(hello));
    }

    public Task ReportVmState(VmReport report)
    {
        state.Reports.Writer.TryWrite(report);
        return Task.CompletedTask;
    }

    public Task ReportTaskProgress(TaskProgress progress) => Task.CompletedTask;
}
