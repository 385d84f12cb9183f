using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Pages.Dashboard;

namespace WebVirt.Web.Tests.Components.Dashboard;

public sealed class VmFilterTests
{
    private readonly List<WebVirt.Web.Components.Shared.VmRow> _rows = SampleRows.All();

    [Fact]
    public void None_LetsEveryVmThrough() => Assert.Equal(4, VmFilter.None.Apply(_rows).Count);

    [Fact]
    public void State_KeepsOnlyThoseStates() =>
        Assert.Equal(["web01", "db01", "build"], Names(new VmFilter { States = new HashSet<VmPowerState> { VmPowerState.Running, VmPowerState.Crashed } }));

    [Fact]
    public void Host_KeepsOnlyItsVms() => Assert.Equal(["db01", "build"], Names(new VmFilter { HostId = SampleRows.Node2 }));

    [Fact]
    public void Tag_IsCaseInsensitive() => Assert.Equal(["web01", "db01"], Names(new VmFilter { Tag = "PROD" }));

    [Theory]
    [InlineData("Web", new[] { "web01", "web02" })]
    [InlineData("WEB", new[] { "web01", "web02" })]
    [InlineData("data", new[] { "db01" })]
    [InlineData("no-such-pool", new string[0])]
    public void Pool_KeepsOnlyItsVms_CaseInsensitive(string pool, string[] expected) => Assert.Equal(expected, Names(new VmFilter { Pool = pool }));

    [Fact]
    public void Pool_IsACriterion() => Assert.False(new VmFilter { Pool = "Web" }.IsEmpty);

    [Theory]
    [InlineData("web", new[] { "web01", "web02" })]
    [InlineData("NODE2", new[] { "db01", "build" })]
    [InlineData("crash", new[] { "build" })]
    [InlineData("  prod ", new[] { "web01", "db01" })]
    [InlineData("nothing-like-it", new string[0])]
    public void Search_MatchesNameHostStateOrTag(string search, string[] expected) => Assert.Equal(expected, Names(new VmFilter { Search = search }));

    [Fact]
    public void Criteria_Combine() =>
        Assert.Equal(["web01"], Names(new VmFilter { Tag = "web", States = new HashSet<VmPowerState> { VmPowerState.Running }, HostId = SampleRows.Node1 }));

    [Fact]
    public void Pool_CombinesWithOtherCriteria() =>
        Assert.Equal(["web02"], Names(new VmFilter { Pool = "Web", States = new HashSet<VmPowerState> { VmPowerState.Stopped } }));

    private List<string> Names(VmFilter filter) => [.. filter.Apply(_rows).Select(r => r.Name)];
}
