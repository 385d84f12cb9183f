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

    private IRenderedComponent<VmTable> Render(VmFilter filter, HashSet<Guid> selected) =>
        _context.Render<VmTable>(p => p.Add(t => t.Vms, _rows).Add(t => t.Filter, filter).Add(t => t.Selected, selected));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
