using System.Net;
using System.Net.Sockets;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Storage;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>
/// Which servers a download reaches, end to end through the agent's commands, with loopback servers only: the agent
/// allows 127.0.0.2/32 (standing in for a public server) and nothing else, so 127.0.0.1 stands in for the host itself.
/// </summary>
public sealed class DownloadTargetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly IPAddress Allowed = IPAddress.Parse("127.0.0.2");
    private AgentTestFolders _folders = null!;
    private TestAgent _host = null!;
    private FileServer _allowed = null!;
    private FileServer _loopback = null!;

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        _folders.Agent.Downloads.AllowedNetworks.Add("127.0.0.2/32");
        _folders.Agent.Downloads.ResponseTimeout = TimeSpan.FromSeconds(2);
        _folders.Agent.Downloads.IdleTimeout = TimeSpan.FromSeconds(1);
        _host = await _folders.StartHostAsync();
        var iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        _loopback = new FileServer(new() { ["guest.iso"] = iso });
        _allowed = new FileServer(new() { ["guest.iso"] = iso }, address: Allowed);
        _allowed.Redirects["to-loopback"] = _loopback.Url("guest.iso");
        _allowed.Redirects["to-metadata"] = new Uri("http://169.254.169.254/latest/meta-data/");
        _allowed.Redirects["to-mapped"] = new Uri($"http://[::ffff:127.0.0.1]:{_loopback.EndPoint.Port}/guest.iso");
        _allowed.Redirects["to-allowed"] = _allowed.Url("guest.iso");
        _allowed.Redirects["loop"] = _allowed.Url("loop");
        _allowed.Stalled.Add("stall.iso");
        _allowed.Silent.Add("silent.iso");
    }

    public async Task DisposeAsync()
    {
        _allowed.Dispose();
        _loopback.Dispose();
        await _folders.DisposeAsync();
    }

    [Fact]
    public async Task FromAnAllowedNetwork_TheDownloadWorks_AlsoThroughARedirectThatStaysAllowed()
    {
        Assert.True((await DownloadAsync(_allowed.Url("guest.iso"), "direct.iso")).Ok);
        Assert.True((await DownloadAsync(_allowed.Url("to-allowed"), "redirected.iso")).Ok);
        Assert.True(File.Exists(Path.Combine(_folders.Pool, "redirected.iso")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/guest.iso")]
    [InlineData("http://127.1:{port}/guest.iso")]
    [InlineData("http://2130706433:{port}/guest.iso")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/guest.iso")]
    [InlineData("http://localhost:{port}/guest.iso")]
    public async Task ALoopbackTarget_IsRefused_AndNeverReached(string template)
    {
        var url = new Uri(template.Replace("{port}", _loopback.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var result = await DownloadAsync(url, "refused.iso");

        Assert.False(result.Ok);
        Assert.Contains("loopback", result.Error);
        Assert.Equal(0, _loopback.Connections);
        AssertNothingLeft("refused.iso");
    }

    [Theory]
    [InlineData("to-loopback", "loopback")]
    [InlineData("to-mapped", "loopback")]
    [InlineData("to-metadata", "link-local")]
    public async Task AnAllowedServerThatRedirectsToARefusedTarget_IsRefusedAtTheRedirect(string path, string kind)
    {
        var result = await DownloadAsync(_allowed.Url(path), "redirected.iso");

        Assert.False(result.Ok);
        Assert.Contains(kind, result.Error);
        Assert.True(_allowed.Connections > 0);
        Assert.Equal(0, _loopback.Connections);
        AssertNothingLeft("redirected.iso");
    }

    [Fact]
    public async Task EndlessRedirects_StopAtTheLimit()
    {
        var result = await DownloadAsync(_allowed.Url("loop"), "loop.iso");

        Assert.False(result.Ok);
        Assert.Contains("More than 5 redirects", result.Error);
        Assert.Equal(6, _allowed.Connections);
    }

    [Fact]
    public async Task AClosedPortAndAnOpenPortThatIsNotHttp_FailWithTheSameMessage()
    {
        var closedPort = ClosedPort();
        using var notHttp = new TcpListener(Allowed, 0);
        notHttp.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await notHttp.AcceptTcpClientAsync();
                await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.2\r\n"u8.ToArray());
            }
        });
        var openPort = ((IPEndPoint)notHttp.LocalEndpoint).Port;

        var closed = await DownloadAsync(new Uri($"http://127.0.0.2:{closedPort}/x.iso"), "closed.iso");
        var open = await DownloadAsync(new Uri($"http://127.0.0.2:{openPort}/x.iso"), "open.iso");

        Assert.False(closed.Ok);
        Assert.False(open.Ok);
        Assert.Equal(closed.Error!.Replace(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "P", StringComparison.Ordinal).Replace("closed", "x", StringComparison.Ordinal),
            open.Error!.Replace(openPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "P", StringComparison.Ordinal).Replace("open", "x", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("silent.iso", "no answer within 2 s")]
    [InlineData("stall.iso", "no data for 1 s")]
    public async Task AServerThatStopsAnswering_TimesOut_AndLeavesNothing(string path, string reason)
    {
        var result = await DownloadAsync(_allowed.Url(path), path);

        Assert.False(result.Ok);
        Assert.Contains("timed out", result.Error);
        Assert.Contains(reason, result.Error);
        AssertNothingLeft(path);
    }

    [Fact]
    public async Task AUrlWithCredentials_IsRefusedAtOnce()
    {
        var reply = await _host.Commands.StartDownload(new DownloadRequest
        {
            TransferId = Guid.NewGuid(), PoolPath = _folders.Pool, FileName = "secret.iso", Url = new Uri($"http://user:hunter2@127.0.0.2:{_allowed.EndPoint.Port}/guest.iso"), MaxBytes = 1L << 30,
        });

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.DoesNotContain("hunter2", reply.Error);
        Assert.Equal(0, _allowed.Connections);
    }

    private void AssertNothingLeft(string name)
    {
        Assert.False(File.Exists(Path.Combine(_folders.Pool, name)));
        Assert.False(File.Exists(Path.Combine(_folders.Pool, ".partial", name)));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(Allowed, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<UploadResult> DownloadAsync(Uri url, string name)
    {
        var id = Guid.NewGuid();
        var started = await _host.Commands.StartDownload(new DownloadRequest { TransferId = id, PoolPath = _folders.Pool, FileName = name, Url = url, MaxBytes = 1L << 30 });
        Assert.True(started.Ok, started.Error);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var reply = await _host.Commands.GetDownload(id);
            if (reply.Status?.Result is { } result)
            {
                output.WriteLine($"{url} -> {result.Error ?? "ok"}");
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, "the download did not end within 60 s");
            await Task.Delay(50);
        }
    }
}
