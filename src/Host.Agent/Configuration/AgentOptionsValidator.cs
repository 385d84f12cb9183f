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
            failures.Add("Agent:Token is required for a standalone agent: set it to the token the panel issued for this host "
                + "(environment variable Agent__Token or WEBVIRT_Agent__Token).");
        }

        if (string.IsNullOrWhiteSpace(options.ImageDirectory))
        {
            failures.Add("Agent:ImageDirectory must name the folder where this host keeps disk images (default data/images).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
