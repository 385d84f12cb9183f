using Microsoft.Extensions.Options;

namespace WebVirt.Host.Agent.Configuration;

/// <summary>
/// Reads the host token from a credential file when <see cref="AgentOptions.Token"/> is not set in code or
/// configuration: <see cref="AgentOptions.TokenFile"/>, or else <c>agent-token</c> in systemd's credentials folder
/// (<c>LoadCredential=agent-token:/etc/webvirt/agent-token</c> sets <c>$CREDENTIALS_DIRECTORY</c>). A file keeps
/// the token out of the agent's environment, which every process it starts would otherwise be one leak away from.
/// The file must be a regular file that only its owner can read or write.
/// </summary>
internal sealed class AgentTokenFile(Func<string, string?> environment) : IPostConfigureOptions<AgentOptions>
{
    public const string CredentialName = "agent-token";

    public AgentTokenFile()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public void PostConfigure(string? name, AgentOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Token) || FindFile(options) is not { } path)
        {
            return;
        }

        options.Token = Read(path);
    }

    private string? FindFile(AgentOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TokenFile))
        {
            return options.TokenFile;
        }

        var credentials = environment("CREDENTIALS_DIRECTORY");
        var candidate = string.IsNullOrEmpty(credentials) ? null : Path.Combine(credentials, CredentialName);
        return candidate is not null && File.Exists(candidate) ? candidate : null;
    }

    private static string Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null)
        {
            throw new OptionsValidationException(nameof(AgentOptions), typeof(AgentOptions),
                [$"Agent:TokenFile '{path}' is not a regular file: write the token the panel issued for this host into it (chmod 600)."]);
        }

        const UnixFileMode OthersOrGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((info.UnixFileMode & OthersOrGroup) != 0)
        {
            throw new OptionsValidationException(nameof(AgentOptions), typeof(AgentOptions),
                [$"Agent:TokenFile '{path}' can be read by other users: the host token is a secret, run chmod 600 on it."]);
        }

        return File.ReadAllText(path).Trim();
    }
}
