namespace WebVirt.Web.Hosting;

/// <summary>Settings of the panel itself, bound from the <c>Panel</c> section.</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    /// <summary>Where the panel keeps its database and other state.</summary>
    public string DataDirectory { get; set; } = "data";
}
