namespace WebVirt.Web.Hosting;

/// <summary>The addresses the panel listens on, from <c>Urls</c> as Kestrel reads it (wildcard hosts made parseable).</summary>
public static class PanelUrls
{
    public static IReadOnlyList<Uri> From(IConfiguration configuration) =>
        [.. (configuration["urls"] ?? configuration["Urls"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()];
}
