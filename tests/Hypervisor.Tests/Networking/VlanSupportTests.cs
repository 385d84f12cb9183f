using WebVirt.Hypervisor.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

public sealed class VlanSupportTests : IAsyncLifetime
{
    private TestNetworkNamespace ns = null!;

    public async Task InitializeAsync() => ns = await TestNetworkNamespace.CreateAsync();

    public async Task DisposeAsync() => await ns.DisposeAsync();

    [Fact]
    public async Task Probe_AgreesWithTheKernel_AndLeavesNothingBehind()
    {
        // The test's own evidence, tried directly, decides what the probe must say: supported where the kernel does it.
        var filtering = await ns.TryIpAsync("link", "add", "name", "evbr", "type", "bridge", "vlan_filtering", "1");
        await ns.IpAsync("link", "add", "name", "evveth", "type", "veth", "peer", "name", "evpeer");
        var vlan = await ns.TryIpAsync("link", "add", "link", "evveth", "name", "evveth.7", "type", "vlan", "id", "7");
        await ns.TryIpAsync("link", "delete", "dev", "evbr");
        await ns.IpAsync("link", "delete", "dev", "evveth");
        var before = await ns.IpAsync("-json", "link", "show");

        var report = await new VlanSupport(ns.Ip).ProbeAsync();

        Assert.Equal(filtering.Succeeded, report.BridgeVlanFiltering);
        Assert.Equal(vlan.Succeeded, report.VlanDevices);
        Assert.Equal(
            filtering.Succeeded ? "bridge VLAN filtering: supported" : $"bridge VLAN filtering: not supported by this kernel ({Reason(filtering)})",
            report.BridgeVlanFilteringReason);
        Assert.Equal(
            vlan.Succeeded ? "802.1Q VLAN devices: supported" : $"802.1Q VLAN devices: not supported by this kernel ({Reason(vlan)})",
            report.VlanDevicesReason);
        Assert.Equal(before, await ns.IpAsync("-json", "link", "show"));
    }

    [Fact]
    public async Task Probe_HostRunner_UsesAScratchNamespaceAndRemovesIt()
    {
        var host = new IpCommand(null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var namespacesBefore = await NamespacesAsync();

        var report = await new VlanSupport(host).ProbeAsync();

        Assert.Equal((await new VlanSupport(ns.Ip).ProbeAsync()), report);
        Assert.Equal(namespacesBefore, await NamespacesAsync());
    }

    private static async Task<string> NamespacesAsync() =>
        string.Join(',', (await new IpCommand(null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .TryRunNamespaceCommandAsync("list namespaces", ["list"], CancellationToken.None)).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).Where(name => name.StartsWith("wvprobe-", StringComparison.Ordinal)).Order());

    private static string Reason(IpResult result) =>
        result.Error.Trim().Replace("RTNETLINK answers: ", "", StringComparison.Ordinal).Replace("Error: ", "", StringComparison.Ordinal).TrimEnd('.');
}
