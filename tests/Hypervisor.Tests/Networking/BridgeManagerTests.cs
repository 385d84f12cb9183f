using System.Text.Json;
using WebVirt.Hypervisor.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

public sealed class BridgeManagerTests : IAsyncLifetime
{
    private TestNetworkNamespace ns = null!;
    private BridgeManager bridges = null!;

    public async Task InitializeAsync()
    {
        ns = await TestNetworkNamespace.CreateAsync();
        bridges = new BridgeManager(ns.Ip);
    }

    public async Task DisposeAsync() => await ns.DisposeAsync();

    [Fact]
    public async Task EnsureBridge_Missing_CreatesItMarkedUpWithTheMtu()
    {
        var ensured = await bridges.EnsureBridgeAsync("wvbr0", 1400, vlanAware: false);

        Assert.True(ensured.Created);
        Assert.True(ensured.Bridge is { Exists: true, IsBridge: true, Mtu: 1400, Up: true, Managed: true, VlanFiltering: false });
        Assert.Empty(ensured.Bridge.Ports);
        using var json = JsonDocument.Parse(await ns.IpAsync("-json", "-details", "link", "show", "dev", "wvbr0"));
        var link = json.RootElement[0];
        Assert.Equal("bridge", link.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("webvirt-managed", link.GetProperty("ifalias").GetString());
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()));
    }

    [Fact]
    public async Task EnsureBridge_Twice_SecondIsIdempotentAndConvergesTheMtu()
    {
        await bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: false);
        var again = await bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: false);
        Assert.False(again.Created);
        Assert.True(again.Bridge is { Managed: true, Mtu: 1500, Up: true });

        await ns.IpAsync("link", "set", "dev", "wvbr0", "down");
        var converged = await bridges.EnsureBridgeAsync("wvbr0", 9000, vlanAware: false);
        Assert.False(converged.Created);
        Assert.True(converged.Bridge is { Mtu: 9000, Up: true });
    }

    [Fact]
    public async Task EnsureBridge_AdministratorsBridge_AdoptedAsItIsAndNeverDeleted()
    {
        await ns.IpAsync("link", "add", "name", "adminbr", "type", "bridge");
        await ns.IpAsync("addr", "add", "192.0.2.1/24", "dev", "adminbr");

        var ensured = await bridges.EnsureBridgeAsync("adminbr", 1400, vlanAware: false);

        Assert.False(ensured.Created);
        Assert.True(ensured.Bridge is { Exists: true, IsBridge: true, Managed: false, Mtu: 1500, Up: false });
        Assert.Equal(["192.0.2.1/24"], ensured.Bridge.Addresses);
        var refusal = await Assert.ThrowsAsync<NetworkCommandException>(() => bridges.DeleteBridgeAsync("adminbr"));
        Assert.Contains("never deleted", refusal.Message);
        Assert.True((await bridges.DescribeAsync("adminbr")).Exists);
    }

    [Fact]
    public async Task EnsureBridge_NameTakenByANonBridge_RefusedAndLeftAlone()
    {
        await ns.IpAsync("link", "add", "name", "veth0", "type", "veth", "peer", "name", "veth1");

        var refusal = await Assert.ThrowsAsync<NetworkCommandException>(
            () => bridges.EnsureBridgeAsync("veth0", 1500, vlanAware: false));

        Assert.Contains("veth0 exists and is not a bridge (it is a 'veth' interface)", refusal.Message);
        var described = await bridges.DescribeAsync("veth0");
        Assert.True(described is { Exists: true, Kind: "veth", IsBridge: false, Managed: false });
        await Assert.ThrowsAsync<NetworkCommandException>(() => bridges.DeleteBridgeAsync("veth0"));
    }

    [Fact]
    public async Task Describe_ListsPortsAndAddresses_MissingSaysSo()
    {
        await bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: false);
        await ns.IpAsync("link", "add", "name", "veth0", "type", "veth", "peer", "name", "veth1");
        await ns.IpAsync("link", "set", "dev", "veth0", "master", "wvbr0");
        await ns.IpAsync("addr", "add", "10.99.0.1/24", "dev", "wvbr0");

        var described = await bridges.DescribeAsync("wvbr0");

        Assert.Equal(["veth0"], described.Ports);
        Assert.Contains("10.99.0.1/24", described.Addresses);
        Assert.False((await bridges.DescribeAsync("nosuchbr")).Exists);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("type")]
    [InlineData("master")]
    [InlineData("dev")]
    public async Task EnsureBridge_NameThatIsAnIpKeyword_TakenLiterally(string name)
    {
        var ensured = await bridges.EnsureBridgeAsync(name, 1500, vlanAware: false);

        Assert.True(ensured.Created);
        Assert.True(ensured.Bridge is { Exists: true, IsBridge: true, Managed: true });
        Assert.True(await bridges.DeleteBridgeAsync(name));
    }

    [Fact]
    public async Task DeleteBridge_Managed_DeletedThenMissingIsFine()
    {
        await bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: false);

        Assert.True(await bridges.DeleteBridgeAsync("wvbr0"));
        Assert.False((await bridges.DescribeAsync("wvbr0")).Exists);
        Assert.False(await bridges.DeleteBridgeAsync("wvbr0"));
    }

    [Fact]
    public async Task EnsureBridge_VlanAware_FollowsWhatTheKernelAllows()
    {
        var probe = await new VlanSupport(ns.Ip).ProbeAsync();

        if (probe.BridgeVlanFiltering)
        {
            var ensured = await bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: true);
            Assert.True(ensured.Created);
            Assert.True(ensured.Bridge.VlanFiltering);
        }
        else
        {
            var refusal = await Assert.ThrowsAsync<NetworkCommandException>(
                () => bridges.EnsureBridgeAsync("wvbr0", 1500, vlanAware: true));
            Assert.Contains("no bridge VLAN filtering", refusal.Message);
            Assert.False((await bridges.DescribeAsync("wvbr0")).Exists);
        }
    }
}
