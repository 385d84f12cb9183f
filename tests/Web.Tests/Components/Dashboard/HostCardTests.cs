using Bunit;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Dashboard;
using WebVirt.Web.Components.Shared;

namespace WebVirt.Web.Tests.Components.Dashboard;

public sealed class HostCardTests : IAsyncLifetime
{
    private readonly BunitContext _context = ComponentContext.Create();

    [Fact]
    public void HostWithIsolationGaps_ShowsPartlyIsolated()
    {
        var card = Render(["VMs are not isolated by cgroup: the host has no unified cgroup v2 hierarchy."]);

        Assert.Contains("Partly isolated", card.Find("[data-testid=host-isolation-gaps]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void FullyIsolatedHost_ShowsNoWarning()
    {
        Assert.Empty(Render([]).FindAll("[data-testid=host-isolation-gaps]"));
    }

    private IRenderedComponent<HostCard> Render(IReadOnlyList<string> gaps) =>
        _context.Render<HostCard>(p => p
            .Add(c => c.Host, new HostSummary(SampleRows.Node1, "node1", true, false, "AMD EPYC", 8, 16L << 30, 1L << 30, 2L << 30,
                Accelerator.Tcg, "no /dev/kvm", "7.2.15", DateTimeOffset.UtcNow, gaps))
            .Add(c => c.Counts, new List<KeyValuePair<VmPowerState, int>>()));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
