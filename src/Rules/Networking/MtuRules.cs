namespace WebVirt.Rules.Networking;

/// <summary>An interface MTU: 68 (the IPv4 minimum) to 65535; a device may allow less (a tap's maximum is 65521).</summary>
public static class MtuRules
{
    public const int Min = 68;
    public const int Max = 65535;

    /// <summary>Null when <paramref name="mtu"/> is acceptable, else why not (to follow "MTU").</summary>
    public static string? Check(int mtu) =>
        mtu is >= Min and <= Max ? null : $"must be between {Min} and {Max} (got {mtu})";
}
