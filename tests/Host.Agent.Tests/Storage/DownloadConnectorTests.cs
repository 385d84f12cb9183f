using System.Net;
using System.Net.Sockets;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Storage;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>
/// The connect step of downloads with a scripted resolver and a counting connect: a refused target is never connected
/// to, whatever DNS answers, and every connect failure reads the same. No traffic leaves the test.
/// </summary>
public sealed class DownloadConnectorTests
{
    private readonly List<IPEndPoint> _connects = [];

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task ARefusedLiteral_IsNeverConnectedTo(string host)
    {
        var connector = Connector(_ => throw new InvalidOperationException("no lookup for a literal"));

        await Assert.ThrowsAsync<DownloadRefusedException>(() => connector.ConnectAsync(new DnsEndPoint(host, 80), CancellationToken.None).AsTask());

        Assert.Empty(_connects);
    }

    [Fact]
    public async Task ANameThatResolvesToPrivateAddresses_IsRefusedWithoutAConnect()
    {
        var connector = Connector(_ => [IPAddress.Parse("10.0.0.7"), IPAddress.Parse("169.254.169.254")]);

        var refused = await Assert.ThrowsAsync<DownloadRefusedException>(() => connector.ConnectAsync(new DnsEndPoint("rebind.example", 80), CancellationToken.None).AsTask());

        Assert.Contains("rebind.example", refused.Message);
        Assert.Contains("private", refused.Message);
        Assert.Empty(_connects);
    }

    [Fact]
    public async Task ANameWithAPublicAndALoopbackAddress_ConnectsOnlyToThePublicOne()
    {
        var connector = Connector(_ => [IPAddress.Loopback, IPAddress.Parse("203.0.113.9")]);

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("mixed.example", 443), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("203.0.113.9"), 443)], _connects);
    }

    [Fact]
    public async Task ARefusedConnectAndATimedOutOne_ReadTheSame()
    {
        var refusing = new DownloadConnector(new DownloadAddressRules([]), TimeSpan.FromMilliseconds(200),
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("203.0.113.9") }), (_, _) => throw new SocketException((int)SocketError.ConnectionRefused));
        var silent = new DownloadConnector(new DownloadAddressRules([]), TimeSpan.FromMilliseconds(200),
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("203.0.113.9") }), async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return Stream.Null; });

        var closed = await Assert.ThrowsAsync<DownloadUnreachableException>(() => refusing.ConnectAsync(new DnsEndPoint("a.example", 8080), CancellationToken.None).AsTask());
        var filtered = await Assert.ThrowsAsync<DownloadUnreachableException>(() => silent.ConnectAsync(new DnsEndPoint("a.example", 8080), CancellationToken.None).AsTask());

        Assert.Equal(closed.Message, filtered.Message);
    }

    [Theory]
    [InlineData("http://10.1.2.3/x.iso")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://127.1:9/x.iso")]
    [InlineData("http://2130706433/x.iso")]
    [InlineData("http://[::ffff:127.0.0.1]/x.iso")]
    [InlineData("https://[::1]/x.iso")]
    [InlineData("http://0.0.0.0/x.iso")]
    public async Task TheDownloadClient_ForARefusedTarget_FailsWithoutOpeningASocket(string url)
    {
        var options = new DownloadOptions();
        var connector = new DownloadConnector(DownloadHttp.Rules(options), options.ConnectTimeout,
            (_, _) => throw new InvalidOperationException("no lookup for a literal"), Counting(DownloadConnector.ConnectTcpAsync));
        using var client = DownloadHttp.CreateClient(options, connector);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(url)));

        Assert.IsType<DownloadRefusedException>(Innermost(failure));
        Assert.Empty(_connects);
    }

    private DownloadConnector Connector(Func<string, IPAddress[]> resolve) =>
        new(new DownloadAddressRules([]), TimeSpan.FromSeconds(1), (host, _) => Task.FromResult(resolve(host)), Counting((_, _) => ValueTask.FromResult(Stream.Null)));

    private Func<IPEndPoint, CancellationToken, ValueTask<Stream>> Counting(Func<IPEndPoint, CancellationToken, ValueTask<Stream>> connect) => (endpoint, ct) =>
    {
        lock (_connects)
        {
            _connects.Add(endpoint);
        }

        return connect(endpoint, ct);
    };

    private static Exception Innermost(Exception exception)
    {
        for (var inner = exception; ; inner = inner.InnerException!)
        {
            if (inner is DownloadRefusedException || inner.InnerException is null)
            {
                return inner;
            }
        }
    }
}
