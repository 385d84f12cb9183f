using Microsoft.Extensions.Options;

namespace WebVirt.Host.Agent.Configuration;

/// <summary>Fails start-up with messages that say which setting to fix and how, rather than failing later on first use.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PanelUrl))
        {
            // An embedded agent learns the panel's address from the panel itself, possibly after this check.
            if (!options.Embedded)
            {
                failures.Add("Agent:PanelUrl is required for a standalone agent: set it to the panel's base address, for example "
                    + "https://panel.example.com (environment variable Agent__PanelUrl or WEBVIRT_Agent__PanelUrl).");
            }
        }
        else if (!Uri.TryCreate(options.PanelUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Agent:PanelUrl '{options.PanelUrl}' is not an absolute http:// or https:// address of the panel, such as https://panel.example.com.");
        }

        if (!options.Embedded && string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("Agent:TokenFile is required for a standalone agent: write the token the panel issued for this host into a "
                + "chmod 600 file and name it in Agent:TokenFile, or load it as the systemd credential 'agent-token' "
                + "(Agent:Token, for example Agent__Token in the environment, also works but exposes the token to anything that reads the environment).");
        }

        if (Connection.PanelCertificatePin.Normalize(options.PanelCertificateSha256) is { } pin
            && (pin.Length != 64 || !pin.All(Uri.IsHexDigit)))
        {
            failures.Add($"Agent:PanelCertificateSha256 '{options.PanelCertificateSha256}' is not a SHA-256 fingerprint (64 hex digits, colons allowed), as the panel's Add host page shows it.");
        }

        if (string.IsNullOrWhiteSpace(options.ImageDirectory))
        {
            failures.Add("Agent:ImageDirectory must name the folder where this host keeps disk images (default data/images).");
        }

        if (options.PoolRoots?.FirstOrDefault(r => string.IsNullOrWhiteSpace(r) || !Path.IsPathFullyQualified(r)) is { } relative)
        {
            failures.Add($"Agent:PoolRoots entry '{relative}' is not an absolute folder: list the folders pools may be added in, such as /srv/webvirt.");
        }

        var downloads = options.Downloads;
        if (downloads.AllowedNetworks.FirstOrDefault(n => !System.Net.IPNetwork.TryParse(n, out _)) is { } network)
        {
            failures.Add($"Agent:Downloads:AllowedNetworks entry '{network}' is not a network in CIDR form, such as 10.0.5.0/24 or fd00::/8.");
        }

        if (downloads.ConnectTimeout <= TimeSpan.Zero || downloads.ResponseTimeout <= TimeSpan.Zero || downloads.IdleTimeout <= TimeSpan.Zero || downloads.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add("Agent:Downloads timeouts (ConnectTimeout, ResponseTimeout, IdleTimeout, TotalTimeout) must be positive, such as 00:00:10.");
        }

        if (downloads.MaxRedirects is < 0 or > 20)
        {
            failures.Add($"Agent:Downloads:MaxRedirects is {downloads.MaxRedirects}: use 0 to 20.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
