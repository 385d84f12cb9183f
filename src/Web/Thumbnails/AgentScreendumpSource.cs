using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Vms;
using WebVirt.Web.Agents;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Thumbnails;

/// <summary>Screendumps through the VM's host agent (QMP <c>screendump</c> in PNG); only running VMs are asked.</summary>
internal sealed class AgentScreendumpSource(IDbContextFactory<WebVirtDbContext> contexts, AgentGateway agents) : IScreendumpSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<byte[]?> CaptureAsync(Guid vmId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var vm = await db.Vms.AsNoTracking().Where(v => v.Id == vmId && v.ActualState == VmPowerState.Running)
            .Select(v => new { v.HostId, HostName = v.Host!.Name }).FirstOrDefaultAsync(cancellationToken);
        if (vm is null)
        {
            return null;
        }

        byte[]? png = null;
        var reply = await agents.SendAsync(vm.HostId, vm.HostName, async agent =>
        {
            var dump = await agent.Screendump(vmId);
            png = dump.Png;
            return dump.Result;
        }, Timeout);
        return reply.Ok ? png : null;
    }
}
