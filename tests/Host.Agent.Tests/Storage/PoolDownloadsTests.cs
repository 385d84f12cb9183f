using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Storage;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Storage;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>Downloads by URL on the host from a real HTTP server, through the same checks as uploads.</summary>
public sealed class PoolDownloadsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AgentTestFolders _folders = null!;
    private TestAgent _host = null!;
    private FileServer _server = null!;
    private byte[] _iso = [];

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);

        // The file server is on loopback, which downloads refuse unless the administrator allows it.
        _folders.Agent.Downloads.AllowedNetworks.Add("127.0.0.1/32");
        _host = await _folders.StartHostAsync();
        _iso = await File.ReadAllBytesAsync(_folders.Guest.IsoPath);
        _server = new FileServer(
            new() { ["guest.iso"] = _iso, ["random.iso"] = RandomNumberGenerator.GetBytes(1 << 20), ["short.iso"] = _iso },
            cutShort: new HashSet<string> { "short.iso" });
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _folders.DisposeAsync();
    }

    [Fact]
    public async Task Download_OfAnIso_StoresItWithItsSha256()
    {
        var result = await DownloadAsync("guest.iso", "fetched.iso", Convert.ToHexStringLower(SHA256.HashData(_iso)));

        Assert.True(result.Ok, result.Error);
        Assert.True(result.Complete);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_iso)), result.Sha256);
        Assert.Equal(_iso, await File.ReadAllBytesAsync(Path.Combine(_folders.Pool, "fetched.iso")));
    }

    [Theory]
    [InlineData("random.iso", "random.iso", null, "not an ISO 9660 image")]
    [InlineData("guest.iso", "wrong-sum.iso", "0000000000000000000000000000000000000000000000000000000000000000", "SHA-256")]
    [InlineData("missing.iso", "missing.iso", null, "404")]
    public async Task Download_ThatFailsItsChecks_LeavesNothing(string path, string name, string? sha256, string reason)
    {
        var result = await DownloadAsync(path, name, sha256);

        Assert.False(result.Ok);
        Assert.Contains(reason, result.Error);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, name)));
        Assert.False(File.Exists(Path.Combine(_folders.Pool, ".partial", name)));
    }

    [Fact]
    public async Task Download_LargerThanTheLimit_IsRefused()
    {
        var result = await DownloadAsync("guest.iso", "big.iso", null, maxBytes: 1 << 20);

        Assert.False(result.Ok);
        Assert.Contains("limit", result.Error);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, "big.iso")));
    }

    [Fact]
    public async Task Download_CutShortByTheServer_EndsWithAnErrorAndLeavesNothing()
    {
        var result = await DownloadAsync("short.iso", "short.iso", null);

        Assert.False(result.Ok);
        Assert.Contains("short.iso", result.Error);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, "short.iso")));
        Assert.False(File.Exists(Path.Combine(_folders.Pool, ".partial", "short.iso")));
    }

    [Fact]
    public async Task Download_ThatThrowsAnUnexpectedException_StillEndsAndFreesTheName()
    {
        var downloads = new PoolDownloads(_host.Transfers, new HttpClient(new ThrowingHttpHandler()), new DownloadOptions(), NullLogger.Instance);
        var request = new DownloadRequest
        {
            TransferId = Guid.NewGuid(), PoolPath = _folders.Pool, FileName = "odd.iso", Url = _server.Url("guest.iso"), MaxBytes = 1L << 30,
        };
        Assert.True(downloads.Start(request, CancellationToken.None).Ok);

        var result = await EndOfAsync(() => Task.FromResult(downloads.Status(request.TransferId)));

        Assert.False(result.Ok);
        Assert.Contains("fails on purpose", result.Error);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, ".partial", "odd.iso")));
        Assert.True(downloads.Start(request with { TransferId = Guid.NewGuid() }, CancellationToken.None).Ok, "the name stayed claimed after the failed download");
    }

    [Fact]
    public async Task Download_FromAnotherScheme_IsRefusedAtOnce()
    {
        var reply = await _host.Commands.StartDownload(new DownloadRequest
        {
            TransferId = Guid.NewGuid(), PoolPath = _folders.Pool, FileName = "x.iso", Url = new Uri("file:///etc/passwd"), MaxBytes = 1 << 30,
        });

        Assert.False(reply.Ok);
        Assert.Contains("http", reply.Error);
    }

    private async Task<UploadResult> DownloadAsync(string path, string name, string? sha256, long maxBytes = 1L << 30)
    {
        var id = Guid.NewGuid();
        var started = await _host.Commands.StartDownload(new DownloadRequest
        {
            TransferId = id, PoolPath = _folders.Pool, FileName = name, Url = _server.Url(path), MaxBytes = maxBytes, ExpectedSha256 = sha256,
        });
        Assert.True(started.Ok, started.Error);

        return await EndOfAsync(async () =>
        {
            var reply = await _host.Commands.GetDownload(id);
            Assert.True(reply.Result.Ok, reply.Result.Error);
            return reply.Status;
        });
    }

    /// <summary>Polls a download's status, as the panel does, until it has a result.</summary>
    private static async Task<UploadResult> EndOfAsync(Func<Task<DownloadStatus?>> poll)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await poll();
            Assert.NotNull(status);
            if (status.Result is { } result)
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, "the download did not end within 60 s");
            await Task.Delay(50);
        }
    }
}
