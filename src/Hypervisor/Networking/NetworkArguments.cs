using WebVirt.Rules.Networking;

namespace WebVirt.Hypervisor.Networking;

/// <summary>The gate every name and number passes before it becomes part of an ip or bridge argv.</summary>
internal static class NetworkArguments
{
    public static string InterfaceName(string? name, string what) =>
        InterfaceNameRules.Check(name) is { } why ? throw Refused(what, name, why) : name!;

    public static int Mtu(int mtu, string what) =>
        MtuRules.Check(mtu) is { } why ? throw Refused(what, mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), why) : mtu;

    public static int VlanTag(int tag, string what) =>
        VlanTagRules.Check(tag) is { } why ? throw Refused(what, tag.ToString(System.Globalization.CultureInfo.InvariantCulture), why) : tag;

    // The refused value is shown escaped: a hostile name may hold newlines or NULs that would forge log lines.
    private static ArgumentException Refused(string what, string? value, string why) =>
        new($"{what} {(value is null ? "(none)" : System.Text.Json.JsonSerializer.Serialize(value))} {why}", what);
}
