using System.Net;
using WebVirt.Host.Agent.Storage;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>The address check of downloads on its own, on the forms a URL or a resolver gives: no network traffic.</summary>
public sealed class DownloadAddressRulesTests
{
    private static readonly DownloadAddressRules NoneAllowed = new([]);

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.1", "loopback")]
    [InlineData("2130706433", "loopback")]
    [InlineData("0x7f.1", "loopback")]
    [InlineData("0x7f000001", "loopback")]
    [InlineData("0177.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("[::1]", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback")]
    [InlineData("[::ffff:7f00:1]", "loopback")]
    [InlineData("[::127.0.0.1]", "loopback")]
    [InlineData("[2002:7f00:1::]", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("[::ffff:169.254.169.254]", "link-local")]
    [InlineData("[64:ff9b::a9fe:a9fe]", "link-local")]
    [InlineData("[fe80::1]", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0", "unspecified")]
    [InlineData("[::]", "unspecified")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("[::ffff:10.0.0.1]", "private")]
    [InlineData("[fc00::1]", "private")]
    [InlineData("[fd12:3456::1]", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("[ff02::1]", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    public void AUrlHostThatIsNotPublic_IsRefused(string host, string kind)
    {
        var address = AddressOf(host);

        var refusal = NoneAllowed.Refusal(address);

        Assert.NotNull(refusal);
        Assert.Contains(kind, refusal);
        Assert.Contains("Agent:Downloads:AllowedNetworks", refusal);
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("[2606:4700::1111]")]
    [InlineData("[::ffff:8.8.8.8]")]
    public void APublicAddress_IsAllowed(string host)
    {
        Assert.Null(NoneAllowed.Refusal(AddressOf(host)));
    }

    [Fact]
    public void AnAllowedNetwork_AllowsItsAddressesInEveryForm_AndNoOthers()
    {
        var rules = new DownloadAddressRules([IPNetwork.Parse("127.0.0.2/32"), IPNetwork.Parse("fd00::/8")]);

        Assert.Null(rules.Refusal(IPAddress.Parse("127.0.0.2")));
        Assert.Null(rules.Refusal(IPAddress.Parse("::ffff:127.0.0.2")));
        Assert.Null(rules.Refusal(IPAddress.Parse("fd00::5")));
        Assert.NotNull(rules.Refusal(IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(rules.Refusal(IPAddress.Parse("::1")));
        Assert.NotNull(rules.Refusal(IPAddress.Parse("fc00::5")));
    }

    // As the download sees a URL's host: .NET's Uri canonicalises the IPv4 forms; a host it leaves as a name is what
    // the resolver would be asked, and getaddrinfo (like IPAddress.Parse) reads inet_aton's forms too.
    private static IPAddress AddressOf(string host)
    {
        var url = new Uri($"http://{host}/x.iso");
        return IPAddress.TryParse(url.Host, out var literal) ? literal : IPAddress.Parse(url.Host);
    }
}
