using WebVirt.Hypervisor.PortForwards;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.PortForwards;

public sealed class PortForwardPolicyTests
{
    [Fact]
    public void Check_LoopbackAboveTheLowPorts_IsAllowedByDefault() =>
        Assert.Empty(PortForwardPolicy.Check(With("127.0.0.1", 2222), new PortForwardOptions()));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("127.0.0.2")]
    public void Check_AnyOtherAddress_IsRefusedByDefault(string address)
    {
        var error = Assert.Single(PortForwardPolicy.Check(With(address, 2222), new PortForwardOptions()));

        Assert.Equal("nics[0].portForwards[0].hostAddress", error.Field);
        Assert.Contains($"{address} is not an address this host allows port forwards on (allowed: 127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AddressTheAdministratorAllowed_IsAllowed() =>
        Assert.Empty(PortForwardPolicy.Check(With("0.0.0.0", 8080), new PortForwardOptions { AllowedAddresses = ["127.0.0.1", "0.0.0.0"] }));

    [Theory]
    [InlineData(22)]
    [InlineData(1024)]
    public void Check_PrivilegedPort_IsRefusedByDefault(int port)
    {
        var error = Assert.Single(PortForwardPolicy.Check(With("127.0.0.1", port), new PortForwardOptions()));

        Assert.Equal("nics[0].portForwards[0].hostPort", error.Field);
        Assert.Equal("must be between 1025 and 65535 on this host (Hypervisor:PortForwards:MinPort and MaxPort)", error.Message);
    }

    [Fact]
    public void Check_ThePanelsPort_IsRefused()
    {
        var options = new PortForwardOptions();
        options.PanelPorts.Add(5000);

        var error = Assert.Single(PortForwardPolicy.Check(With("127.0.0.1", 5000), options));

        Assert.Equal("port 5000 is the panel's own port on this host", error.Message);
    }

    [Fact]
    public void Check_ReservedPort_IsRefused() =>
        Assert.Contains("reserved", Assert.Single(PortForwardPolicy.Check(With("127.0.0.1", 9090), new PortForwardOptions { ReservedPorts = [9090] })).Message, StringComparison.Ordinal);

    private static VmDefinition With(string address, int port)
    {
        var definition = TestDefinitions.Full();
        return definition with
        {
            Nics = [definition.Nics[0] with { PortForwards = [new PortForward { HostAddress = address, HostPort = port, GuestPort = 22 }] }],
        };
    }
}
