using System.Net;
using System.Net.Sockets;

namespace WebVirt.Web.Security;

/// <summary>The client address that sign-in limits count by.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The connection's address; an IPv6 client counts by its /64, since one host commonly holds a whole /64 and
    /// could otherwise take a fresh address for every attempt. Without a proxy's forwarded-headers setup every client
    /// behind a proxy shares the proxy's address (and its limit).
    /// </summary>
    public static string Of(HttpContext context) => Of(context.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
