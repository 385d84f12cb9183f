using System.Text.Json;
using WebVirt.Hypervisor.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

public sealed class TapManagerTests : IAsyncLifetime
{
    private const uint QemuUid = 64_321;

    private TestNetworkNamespace ns = null!;
    private TapManager taps = null!;

    public async Task InitializeAsync()
    {
        ns = await TestNetworkNamespace.CreateAsync();
        taps = new TapManager(ns.Ip);
        try
        {
            await new BridgeManager(ns.Ip).EnsureBridgeAsync("wvbr0", 1500, vlanAware: false);
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync() => await ns.DisposeAsync();

    /// <summary>
    /// Attaches to the tap as QEMU does (TUNSETIFF with IFF_TAP | IFF_NO_PI), in the test's namespace, as
    /// <paramref name="uid"/>: perl (Debian's essential perl-base) opens /dev/net/tun while still root, since the
    /// device node is 0600 on these machines, then drops to the uid, which also drops CAP_NET_ADMIN, so only the
    /// tap's owner check lets it in.
    /// </summary>
    private async Task<IpResult> AttachAsync(string tap, uint uid)
    {
        const string Script = """
            open(my $tun, "+<", "/dev/net/tun") or die "open /dev/net/tun: $!\n";
            $) = "$ARGV[1] $ARGV[1]"; $> = $ARGV[1];
            die "still root\n" if $> == 0;
            ioctl($tun, 0x400454ca, pack("Z16 s x22", $ARGV[0], 0x1002)) or die "TUNSETIFF $ARGV[0] as uid $>: $!\n";
            print "attached $ARGV[0] as uid $>\n";
            """;
        var result = await new IpCommand(null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).TryRunNamespaceCommandAsync(
            "attach to a tap as its owner", ["exec", ns.Name, "perl", "-e", Script, tap, uid.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
        return result.Error.Contains("No such file or directory", StringComparison.Ordinal) && result.Error.Contains("perl", StringComparison.Ordinal)
            ? throw new InvalidOperationException("This test needs perl: install Debian package perl-base")
            : result;
    }

    [Fact]
    public async Task CreateTap_OwnedByTheUid_EnslavedUpWithTheMtu()
    {
        var name = TapNames.For(Guid.Parse("1f2e3d4c-0000-4000-8000-000000000001"), 0);

        var tap = await taps.CreateTapAsync(name, QemuUid, "wvbr0", 1400);

        Assert.Equal("wv1f2e3d4cn0", name);
        Assert.True(tap is { OwnerUid: QemuUid, Bridge: "wvbr0", Mtu: 1400, Up: true, Managed: true });
        using var json = JsonDocument.Parse(await ns.IpAsync("-json", "-details", "link", "show", "dev", name));
        var link = json.RootElement[0];
        var info = link.GetProperty("linkinfo");
        Assert.Equal("tun", info.GetProperty("info_kind").GetString());
        Assert.Equal("tap", info.GetProperty("info_data").GetProperty("type").GetString());
        Assert.Equal(QemuUid, info.GetProperty("info_data").GetProperty("user").GetUInt32());
        Assert.True(info.GetProperty("info_data").GetProperty("persist").GetBoolean());
        Assert.Equal("wvbr0", link.GetProperty("master").GetString());
        Assert.Equal(["wv1f2e3d4cn0"], (await new BridgeManager(ns.Ip).DescribeAsync("wvbr0")).Ports);
    }

    [Fact]
    public async Task CreateTap_OwnerUid_AttachesWithoutPrivilege_AnotherUidMayNot()
    {
        await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);

        var owner = await AttachAsync("wvtap0", QemuUid);
        var other = await AttachAsync("wvtap0", QemuUid + 1);

        Assert.True(owner.Succeeded, owner.Error);
        Assert.Equal($"attached wvtap0 as uid {QemuUid}", owner.Output.Trim());
        Assert.False(other.Succeeded);
        Assert.Equal($"TUNSETIFF wvtap0 as uid {QemuUid + 1}: Operation not permitted", other.Error.Trim());
    }

    [Fact]
    public async Task CreateTap_Again_TakesBackItsOwnTap()
    {
        await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);
        await taps.SetLinkAsync("wvtap0", up: false);

        var again = await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);

        Assert.True(again is { Up: true, Bridge: "wvbr0", OwnerUid: QemuUid });
    }

    [Fact]
    public async Task CreateTap_NameTakenByAnotherUidsOrAForeignTap_Refused()
    {
        await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);
        await ns.IpAsync("tuntap", "add", "dev", "admintap", "mode", "tap");

        var otherUid = await Assert.ThrowsAsync<NetworkCommandException>(() => taps.CreateTapAsync("wvtap0", QemuUid + 1, "wvbr0", 1500));
        var foreign = await Assert.ThrowsAsync<NetworkCommandException>(() => taps.CreateTapAsync("admintap", QemuUid, "wvbr0", 1500));

        Assert.Contains("is not a WebVirt single-queue tap owned by uid 64322", otherUid.Message);
        Assert.Contains("not managed", foreign.Message);
        await Assert.ThrowsAsync<NetworkCommandException>(() => taps.DeleteTapAsync("admintap"));
        Assert.NotNull(await taps.FindTapAsync("admintap"));
    }

    [Fact]
    public async Task CreateTap_MultiQueue_MadeSoAndMustMatchWhenTakenBack()
    {
        var tap = await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500, multiQueue: true);

        Assert.True(tap.MultiQueue);
        Assert.Contains("\"multi_queue\":true", await ns.IpAsync("-json", "-details", "link", "show", "dev", "wvtap0"));
        Assert.True((await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500, multiQueue: true)).MultiQueue);
        var mismatch = await Assert.ThrowsAsync<NetworkCommandException>(() => taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500));
        Assert.Contains("multi-queue, managed", mismatch.Message);
    }

    [Fact]
    public async Task CreateTap_BridgeMissing_RefusedWithoutATap()
    {
        var refusal = await Assert.ThrowsAsync<NetworkCommandException>(() => taps.CreateTapAsync("wvtap0", QemuUid, "nosuchbr", 1500));

        Assert.Contains("bridge nosuchbr does not exist", refusal.Message);
        Assert.Null(await taps.FindTapAsync("wvtap0"));
    }

    [Fact]
    public async Task SetLink_DownThenUp_FlagFollows()
    {
        await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);

        await taps.SetLinkAsync("wvtap0", up: false);
        Assert.False((await taps.FindTapAsync("wvtap0"))!.Up);
        await taps.SetLinkAsync("wvtap0", up: true);
        Assert.True((await taps.FindTapAsync("wvtap0"))!.Up);
    }

    [Fact]
    public async Task DeleteTap_DeletedThenMissingIsFine()
    {
        await taps.CreateTapAsync("wvtap0", QemuUid, "wvbr0", 1500);

        Assert.True(await taps.DeleteTapAsync("wvtap0"));
        Assert.Null(await taps.FindTapAsync("wvtap0"));
        Assert.False(await taps.DeleteTapAsync("wvtap0"));
        Assert.False(await taps.DeleteTapAsync("nevermade"));
    }

    [Fact]
    public async Task ListManagedTaps_OnlyWebVirtsOwn()
    {
        await taps.CreateTapAsync(TapNames.For(Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001"), 1), QemuUid, "wvbr0", 1500);
        await taps.CreateTapAsync(TapNames.For(Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001"), 0), QemuUid, "wvbr0", 1500);
        await ns.IpAsync("tuntap", "add", "dev", "admintap", "mode", "tap");
        await ns.IpAsync("tuntap", "add", "dev", "admintun", "mode", "tun");

        var listed = await taps.ListManagedTapsAsync();

        Assert.Equal(["wvaaaaaaaan0", "wvaaaaaaaan1"], listed.Select(tap => tap.Name));
        Assert.All(listed, tap => Assert.Equal(QemuUid, tap.OwnerUid));
    }
}
