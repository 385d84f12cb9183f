using System.Text.RegularExpressions;

namespace WebVirt.Rules.Networking;

/// <summary>
/// A NIC's MAC address: six colon-separated hex pairs, unicast (the low bit of the first octet clear) and not all
/// zeros. Multicast or broadcast addresses on a NIC break the network it joins.
/// </summary>
public static partial class MacAddressRules
{
    /// <summary>Null when <paramref name="mac"/> is acceptable, else why not (to follow "MAC address").</summary>
    public static string? Check(string? mac)
    {
        if (string.IsNullOrEmpty(mac))
        {
            return "is required";
        }

        if (!MacPattern().IsMatch(mac))
        {
            return "must be six hex pairs separated by ':' (e.g. 52:54:00:12:34:56)";
        }

        if ((Convert.ToByte(mac[..2], 16) & 1) != 0)
        {
            return $"'{mac}' is a multicast address; a NIC needs a unicast one (first octet even)";
        }

        return mac.All(c => c is '0' or ':') ? "must not be all zeros" : null;
    }

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MacPattern();
}
