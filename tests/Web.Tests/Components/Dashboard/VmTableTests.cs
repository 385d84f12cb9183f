using Bunit;
using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Dashboard;
using WebVirt.Web.Components.Shared;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Components.Dashboard;

/// <summary>The table's filter and selection logic as the dashboard renders it.</summary>
public sealed class VmTableTests : IAsyncLifetime
{
    private readonly BunitContext _context = ComponentContext.Create();
    private readonly List<VmRow> _rows = SampleRows.All();

    // The screen thumbnail needs the panel's thumbnail service and is tested with the consoles; here it stands in empty.
    public VmTableTests() => _context.ComponentFactories.AddStub<WebVirt.Web.Components.Pages.Consoles.VmScreenThumbnail>();

    [Fact]
    public void Filter_CountShowsHowManyOfAllAreShown()
    {
        var table = Render(new VmFilter { Tag = "prod" }, []);

        Assert.Equal("2 of 4", table.Find("[data-testid=vm-count]").TextContent.Trim());
    }

    [Fact]
    public void NoFilter_CountIsTheTotal() => Assert.Equal("4", Render(VmFilter.None, []).Find("[data-testid=vm-count]").TextContent.Trim());

    [Fact]
    public void Selection_ShowsTheBulkBar_AndBulkActsOnlyOnSelectedVmsTheFilterShows()
    {
        var selected = new HashSet<Guid> { _rows[0].Id, _rows[1].Id, _rows[2].Id };

        var all = Render(VmFilter.None, selected);
        Assert.Equal("3 selected", all.Find("[data-testid=bulk-count]").TextContent.Trim());

        var filtered = Render(new VmFilter { HostId = SampleRows.Node1 }, selected);
        Assert.Equal("2 selected", filtered.Find("[data-testid=bulk-count]").TextContent.Trim());
        Assert.Equal(["web01", "web02"], filtered.Instance.SelectedVisible.Select(v => v.Name));
    }

    [Fact]
    public void VmTheUserMayNotPower_HasNoPowerButtons_OthersDo()
    {
        var table = _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.CanPower, vm => vm.Name != "web01"));

        var rows = table.FindAll("tr.wv-vm-row");
        Assert.Equal(4, rows.Count);
        Assert.Empty(rows.Single(r => r.TextContent.Contains("web01", StringComparison.Ordinal)).QuerySelectorAll("[data-testid=vm-start]"));
        Assert.All(rows.Where(r => !r.TextContent.Contains("web01", StringComparison.Ordinal)), r => Assert.NotNull(r.QuerySelector("[data-testid=vm-start]")));
    }

    [Fact]
    public void NothingSelected_NoBulkBar() => Assert.Empty(Render(VmFilter.None, []).FindAll("[data-testid=bulk-bar]"));

    [Fact]
    public void BulkButton_AsksThePageWithItsAction()
    {
        PowerAction? asked = null;
        var table = _context.Render<VmTable>(p => p
            .Add(t => t.Vms, _rows)
            .Add(t => t.Selected, [_rows[1].Id])
            .Add(t => t.OnBulk, action => asked = action));

        table.Find("[data-testid=bulk-start]").Click();

        Assert.Equal(PowerAction.Start, asked);
    }

    [Fact]
    public void FilterMatchingNothing_SaysSo()
    {
        var table = Render(new VmFilter { States = new HashSet<VmPowerState> { VmPowerState.Paused } }, []);

        Assert.Equal("0 of 4", table.Find("[data-testid=vm-count]").TextContent.Trim());
        Assert.Contains("No virtual machine matches the filters.", table.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolSelect_OffersThePoolsOfTheGivenVms_AndChoosingOneFiltersTheTable()
    {
        var filter = VmFilter.None;
        var table = _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.Filter, filter).Add(t => t.FilterChanged, f => filter = f));
        Assert.Equal(["data", "Web"], table.FindComponent<VmFilterBar>().Instance.Pools);

        // What clicking the "data" item does: the select picks that option and the bar reports the new filter.
        var select = table.FindComponents<MudBlazor.MudSelect<string>>()
            .Single(s => s.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, "vm-filter-pool"));
        await select.InvokeAsync(() => select.Instance.SelectOption("data"));
        Assert.Equal("data", filter.Pool);

        table.Render(p => p.Add(t => t.Filter, filter));
        Assert.Equal("1 of 4", table.Find("[data-testid=vm-count]").TextContent.Trim());
        Assert.Equal(["db01"], table.FindAll("[data-testid=vm-link]").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public void NoVmInAPool_NoPoolSelect()
    {
        var table = _context.Render<VmTable>(p => p.Add(t => t.Vms, [.. _rows.Select(r => r with { PoolName = null })]));

        Assert.Empty(table.FindAll("[data-testid=vm-filter-pool]"));
        Assert.NotEmpty(table.FindAll("[data-testid=vm-filter-host]"));
    }

    [Fact]
    public void HostOffline_ItsVmsShowUnknownWithSinceWhen_NeverRunning_AndTheirPowerButtonsAreOffWithTheReason()
    {
        var since = new DateTimeOffset(DateTime.Today.AddHours(6).AddMinutes(5));
        var table = _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.Hosts, [Host(SampleRows.Node1, connected: false, since), Host(SampleRows.Node2, connected: true, null)]));

        var offline = Rows(table).Where(r => r.TextContent.Contains("node1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, offline.Count);
        Assert.All(offline, row =>
        {
            Assert.Equal("Unknown (host offline since 06:05)", row.QuerySelector("[data-testid=vm-state]")!.TextContent.Trim());
            Assert.All(row.QuerySelectorAll("[data-testid=vm-start], [data-testid=vm-shutdown], [data-testid=vm-stop]"), b => Assert.True(b.HasAttribute("disabled")));
        });
        Assert.DoesNotContain(offline, r => r.QuerySelector("[data-testid=vm-state]")!.TextContent.Contains("Running", StringComparison.Ordinal));

        // The reason is each disabled button's tooltip.
        var tooltips = table.FindComponents<MudBlazor.MudTooltip>().Select(t => t.Instance.Text).ToList();
        Assert.Equal(6, tooltips.Count(t => t?.StartsWith("The host is offline since 06:05", StringComparison.Ordinal) == true));

        // The connected host's running VM still shows Running, with its Stop button on.
        var db01 = Rows(table).Single(r => r.TextContent.Contains("db01", StringComparison.Ordinal));
        Assert.Equal("Running", db01.QuerySelector("[data-testid=vm-state]")!.TextContent.Trim());
        Assert.False(db01.QuerySelector("[data-testid=vm-stop]")!.HasAttribute("disabled"));
    }

    [Fact]
    public void RunningFilter_LeavesOutTheVmsOfAnOfflineHost_UnknownFindsThem()
    {
        var hosts = new List<HostSummary> { Host(SampleRows.Node1, connected: false, null), Host(SampleRows.Node2, connected: true, null) };
        IRenderedComponent<VmTable> Filtered(VmPowerState state) => _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.Hosts, hosts)
            .Add(t => t.Filter, new VmFilter { States = new HashSet<VmPowerState> { state } }));

        Assert.Equal(["db01"], Filtered(VmPowerState.Running).FindAll("[data-testid=vm-link]").Select(a => a.TextContent.Trim()));
        Assert.Equal(["web01", "web02"], Filtered(VmPowerState.Unknown).FindAll("[data-testid=vm-link]").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public void LastExit_IsShownWhileStopped_NotOnceTheVmRunsAgain()
    {
        var stopped = SampleRows.Row("was-off", VmPowerState.Stopped, SampleRows.Node1) with { LastExit = "The guest powered off" };
        var running = SampleRows.Row("back-on", VmPowerState.Running, SampleRows.Node1) with { LastExit = "The guest powered off" };

        var table = _context.Render<VmTable>(p => p.Add(t => t.Vms, [stopped, running]));

        Assert.Equal("The guest powered off", Exit(table, "was-off"));
        Assert.Equal("–", Exit(table, "back-on"));
    }

    private static string Exit(IRenderedComponent<VmTable> table, string name) =>
        Rows(table).Single(r => r.TextContent.Contains(name, StringComparison.Ordinal)).QuerySelector("[data-testid=vm-last-exit]")!.TextContent.Trim();

    private static IReadOnlyList<AngleSharp.Dom.IElement> Rows(IRenderedComponent<VmTable> table) => table.FindAll("tr.wv-vm-row");

    private static HostSummary Host(Guid id, bool connected, DateTimeOffset? lastSeen) =>
        new(id, id == SampleRows.Node1 ? "node1" : "node2", connected, false, null, null, null, null, null, null, null, null, lastSeen, []);

    private IRenderedComponent<VmTable> Render(VmFilter filter, HashSet<Guid> selected) =>
        _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.Filter, filter).Add(t => t.Selected, selected));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
