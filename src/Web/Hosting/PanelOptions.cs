namespace WebVirt.Web.Hosting;

/// <summary>Settings of the panel itself, bound from the <c>Panel</c> section.</summary>
public sealed class PanelOptions
{
    public const string SectionName = "Panel";

    /// <summary>Where the panel keeps its database and other state.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Minutes without a request after which a browser's sign-in ends (sliding: each request renews it).
    /// Default 480, a working day; at most 30 days.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 43_200, ErrorMessage = "Panel:SessionIdleMinutes must be between 1 and 43200 (30 days).")]
    public int SessionIdleMinutes { get; set; } = 480;
}
