using System.Net;
using System.Net.Sockets;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// Which addresses a download may connect to: public ones, and those in a network the administrator allows.
/// Loopback, link-local (cloud metadata at 169.254.169.254), private, shared (CGNAT), unspecified, multicast and
/// reserved addresses are refused, also when written inside an IPv6 address (IPv4-mapped, IPv4-compatible,
/// NAT64, 6to4), so that the host does not fetch from itself or its neighbours on a caller's behalf.
/// </summary>
internal sealed class DownloadAddressRules(IReadOnlyList<IPNetwork> allowed)
{
    private static readonly (IPNetwork Network, string Kind)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "reserved"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Null when a download may connect to <paramref name="address"/>, else why not (for the download's error).</summary>
    public string? Refusal(IPAddress address)
    {
        var plain = Unwrapped(address);
        if (allowed.Any(n => n.BaseAddress.AddressFamily == plain.AddressFamily && n.Contains(plain))
            || (!plain.Equals(address) && allowed.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address))))
        {
            return null;
        }

        return KindOf(plain) is { } kind
            ? $"{address} is not a public address ({kind}); downloads reach only public addresses unless an administrator allows the network (Agent:Downloads:AllowedNetworks)"
            : null;
    }

    /// <summary>What kind of non-public address this is, or null for a public one.</summary>
    public static string? KindOf(IPAddress address)
    {
        var plain = Unwrapped(address);
        return Refused.FirstOrDefault(r => r.Network.BaseAddress.AddressFamily == plain.AddressFamily && r.Network.Contains(plain)).Kind;
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), else the address itself.</summary>
    public static IPAddress Unwrapped(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6None) && !address.Equals(IPAddress.IPv6Loopback);
        if (compatible || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : address;
    }
}
