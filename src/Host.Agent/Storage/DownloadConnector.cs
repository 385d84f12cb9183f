using System.Net;
using System.Net.Sockets;

namespace WebVirt.Host.Agent.Storage;

/// <summary>
/// The connect step of the download HTTP client (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the host
/// itself and connects only to an address the rules allow, so the check holds for every redirect and for whatever
/// DNS answers at that moment (no rebinding between a check and the connect).
/// </summary>
internal sealed class DownloadConnector(
    DownloadAddressRules rules,
    TimeSpan connectTimeout,
    Func<string, CancellationToken, Task<IPAddress[]>> resolve,
    Func<IPEndPoint, CancellationToken, ValueTask<Stream>> connect)
{
    public DownloadConnector(DownloadAddressRules rules, TimeSpan connectTimeout)
        : this(rules, connectTimeout, Dns.GetHostAddressesAsync, ConnectTcpAsync)
    {
    }

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint target, CancellationToken cancellationToken)
    {
        var (host, port) = (target.Host, target.Port);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await ResolveAsync(host, port, cancellationToken).ConfigureAwait(false);
        var refusals = addresses.Select(a => (Address: a, Refusal: rules.Refusal(a))).ToList();
        if (refusals.All(r => r.Refusal is not null))
        {
            throw new DownloadRefusedException(refusals.Count == 0
                ? $"Refused to download from {host}: it has no address."
                : $"Refused to download from {host}: {refusals[0].Refusal}.");
        }

        foreach (var (address, _) in refusals.Where(r => r.Refusal is null))
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(connectTimeout);
            try
            {
                return await connect(new IPEndPoint(address, port), attempt.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Tried in turn; every cause ends in the same message below.
            }
        }

        throw new DownloadUnreachableException(host, port);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            return await resolve(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            throw new DownloadUnreachableException(host, port);
        }
    }

    /// <summary>A plain TCP connect: the default, and what tests wrap to count connects.</summary>
    internal static async ValueTask<Stream> ConnectTcpAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
