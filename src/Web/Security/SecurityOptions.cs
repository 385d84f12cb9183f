namespace WebVirt.Web.Security;

/// <summary>Settings of the panel's request hardening, bound from the <c>Security</c> section.</summary>
public sealed class SecurityOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>
    /// Origins besides the panel's own (e.g. <c>https://panel.example.net</c>) whose pages may change things through the
    /// cookie-authenticated API: the public origin when a proxy in front of the panel changes the scheme or host.
    /// </summary>
    public string[] TrustedOrigins { get; set; } = [];

    /// <summary>Sign-in attempts (form, two-factor code, API token) one client address may make per window.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000, ErrorMessage = "Security:SignInPermitLimit must be between 1 and 10000.")]
    public int SignInPermitLimit { get; set; } = 5;

    /// <summary>The window of <see cref="SignInPermitLimit"/>, in seconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86_400, ErrorMessage = "Security:SignInWindowSeconds must be between 1 and 86400.")]
    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>
    /// How old, in seconds, a browser cookie's check against the user's security stamp may be: a disabled user or one
    /// whose password was reset loses the cookie at the first request after this (0: every request is checked).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3600, ErrorMessage = "Security:SessionCheckSeconds must be between 0 and 3600.")]
    public int SessionCheckSeconds { get; set; } = 5;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        // An origin is scheme://host[:port] and nothing else: a path or a typo would silently trust nothing.
        foreach (var origin in TrustedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                yield return new($"Security:TrustedOrigins: '{origin}' is not an origin (scheme://host[:port], e.g. https://panel.example.net).", [nameof(TrustedOrigins)]);
            }
        }
    }
}
