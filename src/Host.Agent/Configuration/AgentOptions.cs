namespace WebVirt.Host.Agent.Configuration;

/// <summary>The agent's settings, bound from the <c>Agent</c> configuration section.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>
    /// The panel's base address (<c>https://panel.example.com</c>); the agent dials out to its hub at
    /// <c>/hubs/agent</c> below it. Required for a standalone agent; an embedded one gets it from the panel.
    /// </summary>
    public string? PanelUrl { get; set; }

    /// <summary>
    /// The per-host token the panel issued for this host, sent as a bearer token. In production leave it unset and
    /// give <see cref="TokenFile"/> (or a systemd credential named <c>agent-token</c>) instead: a token in the
    /// environment is visible to every process that can read the agent's environment.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The SHA-256 fingerprint of the panel's certificate to trust when the system does not (a self-signed panel
    /// certificate; the panel's Add host page prints it). Hex, colons optional.
    /// </summary>
    public string? PanelCertificateSha256 { get; set; }

    /// <summary>A 0600 file holding the token, read at start when <see cref="Token"/> is not set.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The image pool: every disk of every VM on this host must lie inside this folder.</summary>
    public string ImageDirectory { get; set; } = "data/images";

    /// <summary>Where the agent remembers the storage pools added besides <see cref="ImageDirectory"/> (the default pool).</summary>
    public string PoolListFile { get; set; } = "data/pools.json";

    /// <summary>
    /// The folders at or below which the panel may add pools (checked with every symbolic link resolved). Null keeps
    /// the defaults: the agent's data folder (the folder of <see cref="PoolListFile"/>), <c>/var/lib/webvirt</c>,
    /// <c>/srv</c> and <c>/mnt</c>. A list replaces the defaults.
    /// </summary>
    public List<string>? PoolRoots { get; set; }

    /// <summary>
    /// Folders that are never a pool, nor inside or around one, besides those the agent knows itself (the VMs' data
    /// and run folders, the data folder's <c>keys</c>); a panel that embeds the agent adds its own keys folder.
    /// </summary>
    public List<string> ProtectedFolders { get; set; } = [];

    /// <summary>Downloads by URL: which non-public networks they may reach, their timeouts and redirects.</summary>
    public DownloadOptions Downloads { get; set; } = new();

    /// <summary>True when the agent runs inside the panel's process (single-machine setup).</summary>
    public bool Embedded { get; set; }
}
