using WebVirt.Shared.Vms;
using WebVirt.Web.Components.Shared;

namespace WebVirt.Web.Tests.Components.Dashboard;

/// <summary>A few dashboard rows on two hosts, in different states, with tags, and in resource pools "Web" and "data" or none.</summary>
internal static class SampleRows
{
    public static readonly Guid Node1 = Guid.Parse("11111111-1111-4111-8111-111111111111");
    public static readonly Guid Node2 = Guid.Parse("22222222-2222-4222-8222-222222222222");

    public static VmRow Row(string name, VmPowerState state, Guid host, params string[] tags) =>
        new(Guid.NewGuid(), name, host, host == Node1 ? "node1" : "node2", state, state, 1, 512, null, null, tags, false);

    public static List<VmRow> All() =>
    [
        Row("web01", VmPowerState.Running, Node1, "web", "prod") with { PoolName = "Web" },
        Row("web02", VmPowerState.Stopped, Node1, "web") with { PoolName = "Web" },
        Row("db01", VmPowerState.Running, Node2, "db", "prod") with { PoolName = "data" },
        Row("build", VmPowerState.Crashed, Node2),
    ];
}
