namespace WebVirt.Web.Inventory;

/// <summary>Column sizes and collations shared by the entity configurations.</summary>
internal static class InventoryLimits
{
    public const int NameLength = 128;
    public const int DeviceIdLength = 32;
    public const int EnumLength = 32;

    /// <summary>Hex SHA-256.</summary>
    public const int HashLength = 64;

    /// <summary>SQLite's ASCII case-folding collation: names that differ only in case count as the same name.</summary>
    public const string CaseInsensitive = "NOCASE";
}
