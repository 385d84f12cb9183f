namespace WebVirt.Rules.Networking;

/// <summary>An 802.1Q VLAN id: 1–4094 (0 means "no VLAN" in a tag and 4095 is reserved).</summary>
public static class VlanTagRules
{
    public const int Min = 1;
    public const int Max = 4094;

    /// <summary>Null when <paramref name="tag"/> is acceptable, else why not (to follow "VLAN tag").</summary>
    public static string? Check(int tag) =>
        tag is >= Min and <= Max ? null : $"must be between {Min} and {Max} (got {tag})";
}
