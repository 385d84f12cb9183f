namespace WebVirt.Host.Agent.Configuration;

/// <summary>How the host fetches files by URL into its pools, bound from <c>Agent:Downloads</c>.</summary>
public sealed class DownloadOptions
{
    /// <summary>
    /// Networks (CIDR, such as <c>10.0.5.0/24</c> or <c>fd00::/8</c>) a download may reach although they are loopback,
    /// link-local, private or otherwise not public. Empty by default: only public addresses are fetched from.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How long one TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the server may take to answer with its headers once connected (all redirects included).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the body may send nothing before the download is given up.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a whole download may take.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How many redirects are followed (each to an address checked again).</summary>
    public int MaxRedirects { get; set; } = 5;
}
