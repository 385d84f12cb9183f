using WebVirt.Hypervisor.PortForwards;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.PortForwards;

public sealed class TapDevicePolicyTests
{
    [Fact]
    public void Check_AnyTapDevice_IsRefusedWhenTheHostOffersNone()
    {
        var error = Assert.Single(TapDevicePolicy.Check(WithTap("eth0"), allowed: null));

        Assert.Equal("nics[0].tapDevice", error.Field);
        Assert.Contains("offers no tap devices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AListedTapDevice_IsAllowed_AnotherIsNot()
    {
        Assert.Empty(TapDevicePolicy.Check(WithTap("tap-vm1"), ["tap-vm1", "tap-vm2"]));
        Assert.Contains("'wlan0' is not a tap device this host offers", Assert.Single(TapDevicePolicy.Check(WithTap("wlan0"), ["tap-vm1"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UserModeNics_AreNotConcerned() =>
        Assert.Empty(TapDevicePolicy.Check(TestDefinitions.Full(), allowed: null));

    private static VmDefinition WithTap(string tap)
    {
        var definition = TestDefinitions.Full();
        return definition with { Nics = [definition.Nics[0] with { Mode = NicMode.Tap, TapDevice = tap, PortForwards = [] }] };
    }
}
