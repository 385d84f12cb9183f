namespace WebVirt.Web.Inventory;

/// <summary>
/// Where the panel keeps its database. The connection string comes from <c>Panel:ConnectionStrings:Inventory</c>;
/// the rest binds from <c>Panel:Inventory</c>.
/// </summary>
internal sealed class InventoryOptions
{
    public const string SectionName = "Panel:Inventory";
    public const string ConnectionStringKey = "Panel:ConnectionStrings:Inventory";
    public const string DefaultConnectionString = "Data Source=data/webvirt.db";

    /// <summary>A Microsoft.Data.Sqlite connection string; a relative file path is taken from the content root.</summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>How long a writer waits for another connection's write to finish before it fails (SQLite busy timeout).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
