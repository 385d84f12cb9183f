using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Hypervisor.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

public sealed class IpCommandTests : IAsyncLifetime
{
    private TestNetworkNamespace ns = null!;

    public static TheoryData<string> HostileNames =>
    [
        "", ".", "..", ".hidden", "-n", "--help", "br 0", " br0", "br/0", "../x", "br:0", "br,0", "abcdefghijklmnop",
        "br0\n", "br0\nlink", "br\00", "brü", "бр0", "br0\t", "all",
    ];

    public async Task InitializeAsync() => ns = await TestNetworkNamespace.CreateAsync();

    public async Task DisposeAsync() => await ns.DisposeAsync();

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task HostileName_RefusedBeforeAnyProcessStarts(string name)
    {
        var bridges = new BridgeManager(ns.Ip);
        var taps = new TapManager(ns.Ip);

        await Assert.ThrowsAsync<ArgumentException>(() => bridges.EnsureBridgeAsync(name, 1500, vlanAware: false));
        await Assert.ThrowsAsync<ArgumentException>(() => bridges.DescribeAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => bridges.DeleteBridgeAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => taps.CreateTapAsync(name, 1000, "wvbr0", 1500));
        await Assert.ThrowsAsync<ArgumentException>(() => taps.CreateTapAsync("wvtap0", 1000, name, 1500));
        await Assert.ThrowsAsync<ArgumentException>(() => taps.FindTapAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(() => taps.SetLinkAsync(name, up: true));
        await Assert.ThrowsAsync<ArgumentException>(() => taps.DeleteTapAsync(name));

        Assert.Equal(0, ns.Ip.Invocations);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(67)]
    [InlineData(65536)]
    public async Task BadMtu_RefusedBeforeAnyProcessStarts(int mtu)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new BridgeManager(ns.Ip).EnsureBridgeAsync("wvbr0", mtu, vlanAware: false));
        await Assert.ThrowsAsync<ArgumentException>(() => new TapManager(ns.Ip).CreateTapAsync("wvtap0", 1000, "wvbr0", mtu));

        Assert.Equal(0, ns.Ip.Invocations);
    }

    [Fact]
    public void HostileNamespaceName_Refused()
    {
        Assert.Throws<ArgumentException>(() => new IpCommand("-all", NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new IpCommand("../x", NullLogger.Instance));
        Assert.Throws<ArgumentException>(() => new IpCommand("a b", NullLogger.Instance));
    }

    [Fact]
    public async Task Run_BoundToANamespace_ChangesOnlyThatNamespace()
    {
        var name = $"wvx{Guid.NewGuid().ToString("N")[..8]}";

        await ns.Ip.RunAsync("make a test bridge", IpTool.Ip, ["link", "add", "name", name, "type", "bridge"], CancellationToken.None);

        Assert.Equal(1, ns.Ip.Invocations);
        Assert.True((await new BridgeManager(ns.Ip).DescribeAsync(name)).Exists);
        var host = await new IpCommand(null, NullLogger.Instance).TryRunAsync("look in the host namespace", IpTool.Ip, ["link", "show", "dev", name], CancellationToken.None);
        Assert.True(host.DeviceMissing);
    }

    [Fact]
    public async Task Run_Failure_NamesThePurposeTheCommandAndIpsMessage()
    {
        await ns.IpAsync("link", "add", "name", "dupbr", "type", "bridge");

        var failure = await Assert.ThrowsAsync<NetworkCommandException>(
            () => ns.Ip.RunAsync("create bridge dupbr", IpTool.Ip, ["link", "add", "name", "dupbr", "type", "bridge"], CancellationToken.None));

        Assert.Equal($"Create bridge dupbr failed: 'ip -n {ns.Name} link add name dupbr type bridge' exited with 2: RTNETLINK answers: File exists", failure.Message);
        Assert.Equal(2, failure.ExitCode);
        Assert.Equal("RTNETLINK answers: File exists", failure.Error);
    }

    [Fact]
    public async Task Bridge_RunsBridgeWithTheNamespace()
    {
        await ns.IpAsync("link", "add", "name", "wvbr0", "type", "bridge");

        var result = await ns.Ip.RunAsync("show VLANs", IpTool.Bridge, ["-json", "vlan", "show"], CancellationToken.None);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Run_MissingIp_SaysToInstallIproute2()
    {
        var ip = new IpCommand(ns.Name, NullLogger.Instance, ipProgram: "wv-no-such-ip");

        var failure = await Assert.ThrowsAsync<NetworkCommandException>(() => new BridgeManager(ip).DescribeAsync("wvbr0"));

        Assert.Contains("'wv-no-such-ip' was not found", failure.Message);
        Assert.Contains("install Debian package iproute2", failure.Message);
    }

    [Fact]
    public async Task Run_PastItsTimeout_KilledWithAClearError()
    {
        var ip = new IpCommand(ns.Name, NullLogger.Instance, timeout: TimeSpan.FromMilliseconds(300));

        var failure = await Assert.ThrowsAsync<NetworkCommandException>(
            () => ip.RunAsync("watch links", IpTool.Ip, ["monitor", "link"], CancellationToken.None));

        Assert.Contains("did not finish within 0.3 s and was killed", failure.Message);
    }

    [Fact]
    public async Task Run_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ns.Ip.RunAsync("watch links", IpTool.Ip, ["monitor", "link"], cancel.Token));
    }
}
