using System.Net;
using WebVirt.Host.Agent.Configuration;

namespace WebVirt.Host.Agent.Storage;

/// <summary>The HTTP client downloads use: every connection through <see cref="DownloadConnector"/>, a bounded number of redirects, no proxy.</summary>
internal static class DownloadHttp
{
    public static DownloadAddressRules Rules(DownloadOptions options) =>
        new([.. options.AllowedNetworks.Select(n => IPNetwork.Parse(n))]);

    public static HttpClient CreateClient(DownloadOptions options) => CreateClient(options, new DownloadConnector(Rules(options), options.ConnectTimeout));

    public static HttpClient CreateClient(DownloadOptions options, DownloadConnector connector)
    {
        var handler = new SocketsHttpHandler
        {
            // A proxy would make the connect step reach the proxy, not the checked target.
            UseProxy = false,
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(options.MaxRedirects, 1),
            ConnectCallback = (context, cancellationToken) => connector.ConnectAsync(context.DnsEndPoint, cancellationToken),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            Credentials = null,
            PreAuthenticate = false,
        };

        // Timeouts are per phase in PoolDownloads (answer, idle, total): a single HttpClient.Timeout would cut long downloads.
        // HTTP/1.1 or HTTP/2 only: HTTP/3 runs over QUIC, which does not go through ConnectCallback and so skips the address check.
        return new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }
}
