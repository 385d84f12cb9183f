namespace WebVirt.Web.Hosting;

/// <summary>Settings of the panel itself, bound from the <c>Panel</c> section.</summary>
public sealed class PanelOptions : System.ComponentModel.DataAnnotations.IValidatableObject
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

    /// <summary>
    /// The panel's URL as other hosts reach it (e.g. <c>https://panel.example.net:8006</c>), printed in a new host's agent
    /// settings. Unset: the address the administrator's browser used, which is wrong behind a tunnel or on 127.0.0.1.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The HTTPS certificate's files, when the panel listens on an https URL.</summary>
    public PanelTlsOptions Tls { get; set; } = new();

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new($"Panel:PublicUrl must be an absolute http or https URL (got '{PublicUrl}').", [nameof(PublicUrl)]);
        }
    }
}
