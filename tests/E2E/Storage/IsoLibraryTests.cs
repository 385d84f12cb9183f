using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Storage;

/// <summary>
/// The ISO library through the panel's API with the panel and an agent as real processes: chunked uploads over
/// the agent-dialed tunnel, resumed after a cut, hostile files refused with nothing left, and a VM booting from
/// an uploaded ISO.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class IsoLibraryTests : IAsyncLifetime
{
    private const int ChunkBytes = 4 << 20;
    private const long MaxUploadBytes = 32L << 20;
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private readonly TestCluster _cluster = new();
    private readonly TempFolder _sources = new("wvs");
    private Guid _hostId;
    private Guid _poolId;

    public async Task InitializeAsync()
    {
        // The download test's file server is on loopback, which agents refuse unless allowed.
        _cluster.AgentSettings["Agent__Downloads__AllowedNetworks__0"] = "127.0.0.1/32";
        await _cluster.StartPanelAsync(new Dictionary<string, string> { ["Storage__MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _hostId = await _cluster.AddHostAsync("node1");
        await TestCluster.WaitUntilAsync(async () => (await PoolsAsync()).GetArrayLength() > 0, TimeSpan.FromSeconds(30), () => "the host got no default pool");
        var pool = (await PoolsAsync())[0];
        Assert.Equal("default", pool.GetProperty("name").GetString());
        Assert.Equal(_cluster.ImagePool, pool.GetProperty("path").GetString());
        Assert.True(pool.GetProperty("freeBytes").GetInt64() > 0);
        _poolId = pool.GetProperty("id").GetGuid();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _sources.Dispose();
    }

    private string PartialFolder => Path.Combine(_cluster.ImagePool, ".partial");

    [Fact]
    public async Task Upload_CutOffAndResumed_ThenAVmBootsFromIt_AndTheIsoCannotBeDeletedWhileInserted()
    {
        var iso = _cluster.Guest.IsoPath;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(iso)));
        var upload = new ChunkedUpload(_cluster.Api, _hostId, _poolId, "guest.iso", iso, ChunkBytes);

        // Two chunks, then a third that breaks off half-way, as when the browser's tab closes.
        for (var offset = 0L; offset < 2L * ChunkBytes; offset += ChunkBytes)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = await upload.SendChunkAsync(offset, sha256);

                // A 503 with nothing kept is sent again, as the page does (a tunnel can drop on a loaded host).
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 3 && await upload.ReceivedAsync() == offset)
                {
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"chunk at {offset}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                break;
            }
        }

        var third = new byte[ChunkBytes];
        await using (var file = File.OpenRead(iso))
        {
            file.Position = 2L * ChunkBytes;
            await file.ReadExactlyAsync(third);
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(async () => (await upload.SendChunkAsync(2L * ChunkBytes, sha256, new CutOffContent(third, ChunkBytes / 2))).Dispose());
        var held = await upload.ReceivedAsync();
        Assert.InRange(held, 2L * ChunkBytes, 3L * ChunkBytes - 1);
        Assert.False(File.Exists(Path.Combine(_cluster.ImagePool, "guest.iso")));

        // A chunk at a stale offset is refused with where to go on; the resume then completes.
        using (var stale = await upload.SendChunkAsync(ChunkBytes, sha256))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal(held, JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement.GetProperty("receivedBytes").GetInt64());
        }

        var done = await upload.RunAsync(sha256);
        var path = done.GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(_cluster.ImagePool, "guest.iso"), path);
        Assert.Equal(sha256, done.GetProperty("sha256").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(iso), await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.EnumerateFiles(PartialFolder));

        var content = await ContentAsync();
        var listed = content.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "guest.iso");
        Assert.Equal("Iso", listed.GetProperty("kind").GetString());
        Assert.Equal(sha256, listed.GetProperty("sha256").GetString());
        Assert.Equal("Succeeded", await LastTaskStatusAsync("storage.upload"));

        // A VM boots from the uploaded ISO.
        using var create = await _cluster.Api.PostAsJsonAsync("/api/v1/vms", new { name = "from-upload", hostId = _hostId, memoryMiB = 256, cdromIsoPath = path });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var vmId = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
        using (var start = await _cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(_cluster.AgentRunDirectory, vmId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        // In use: neither the file nor (through the agent) anything else lets it go.
        using (var refused = await _cluster.Api.DeleteAsync($"/api/v1/hosts/{_hostId}/pools/{_poolId}/content/guest.iso"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("from-upload", await refused.Content.ReadAsStringAsync());
        }

        Assert.True(File.Exists(path));

        // Ejected live from the running guest, it can go.
        using (var eject = await _cluster.Api.PostAsJsonAsync($"/api/v1/vms/{vmId}/cdrom", new { isoPath = (string?)null }))
        {
            Assert.Equal(HttpStatusCode.OK, eject.StatusCode);
        }

        Assert.Equal(JsonValueKind.Null, (await _cluster.GetVmAsync(vmId)).GetProperty("definition").GetProperty("cdrom").GetProperty("isoPath").ValueKind);
        using (var deleted = await _cluster.Api.DeleteAsync($"/api/v1/hosts/{_hostId}/pools/{_poolId}/content/guest.iso"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.False(File.Exists(path));
        using (var stop = await _cluster.Api.PostAsync($"/api/v1/vms/{vmId}/stop", null))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }
    }

    [Fact]
    public async Task HostileUploads_AreRefused_AndLeaveNothingOnDisk()
    {
        var backed = _sources.Combine("backed.qcow2");
        QemuImg("create", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", backed, "1M");
        var random = _sources.Combine("random.bin");
        await File.WriteAllBytesAsync(random, RandomNumberGenerator.GetBytes(3 << 20));
        var before = Listing();

        await AssertRefusedAsync("backed.qcow2", backed, "backing file");
        await AssertRefusedAsync("backed.iso", backed, "backing file");
        await AssertRefusedAsync("random.iso", random, "not an ISO 9660 image");

        foreach (var name in new[] { "../x.iso", "a/b.iso", "..", ".hidden.iso", "x.txt" })
        {
            using var response = await _cluster.Api.PutAsync(
                $"/api/v1/hosts/{_hostId}/pools/{_poolId}/uploads/{Uri.EscapeDataString(name)}?offset=0&total=16", new ByteArrayContent(new byte[16]));
            // ".." never reaches an upload endpoint: the client resolves it to the pool's own address, which takes no PUT.
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{name}: {(int)response.StatusCode}");
        }

        using (var oversize = await _cluster.Api.PutAsync(
            $"/api/v1/hosts/{_hostId}/pools/{_poolId}/uploads/big.iso?offset=0&total={MaxUploadBytes + 1}", new ByteArrayContent(new byte[1024])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        }

        Assert.Equal(before, Listing());
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_cluster.ImagePool)!, "x.iso")));
        Assert.Empty(Directory.Exists(PartialFolder) ? Directory.EnumerateFiles(PartialFolder) : []);
    }

    [Fact]
    public async Task DownloadByUrl_EndsAsASucceededTaskWithTheIsoListed_AndA404FailsLeavingNothing()
    {
        var iso = await File.ReadAllBytesAsync(_cluster.Guest.IsoPath);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(iso));
        using var server = new FileServer(new() { ["guest.iso"] = iso });

        var taskId = await StartDownloadAsync(server.Url("guest.iso"), "fetched.iso", sha256);
        var (status, progress, error) = await TaskEndAsync(taskId);

        Assert.True(status == "Succeeded", $"the download task ended {status}: {error}");
        Assert.Equal(1, progress);
        var path = Path.Combine(_cluster.ImagePool, "fetched.iso");
        Assert.Equal(iso, await File.ReadAllBytesAsync(path));
        var listed = (await ContentAsync()).EnumerateArray().Single(f => f.GetProperty("name").GetString() == "fetched.iso");
        Assert.Equal("Iso", listed.GetProperty("kind").GetString());
        Assert.Equal(sha256, listed.GetProperty("sha256").GetString());

        var before = Listing();
        var missing = await StartDownloadAsync(server.Url("missing.iso"), "missing.iso", null);
        (status, _, error) = await TaskEndAsync(missing);

        Assert.Equal("Failed", status);
        Assert.Contains("404", error);
        Assert.Equal(before, Listing());
    }

    private async Task<Guid> StartDownloadAsync(Uri url, string fileName, string? sha256)
    {
        using var response = await _cluster.Api.PostAsJsonAsync($"/api/v1/hosts/{_hostId}/pools/{_poolId}/downloads", new { url = url.ToString(), fileName, sha256 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("taskId").GetGuid();
    }

    /// <summary>Waits until the task is no longer running; its status, progress and error, from the panel's SQLite file.</summary>
    private async Task<(string Status, double? Progress, string? Error)> TaskEndAsync(Guid taskId)
    {
        (string Status, double? Progress, string? Error) task = default;
        await TestCluster.WaitUntilAsync(
            async () =>
            {
                using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cluster.DatabasePath};Mode=ReadOnly");
                await db.OpenAsync();
                using var command = db.CreateCommand();
                command.CommandText = "SELECT Status, Progress, Error FROM Tasks WHERE lower(Id) = lower($id)";
                command.Parameters.AddWithValue("$id", taskId.ToString());
                using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync(), $"there is no task {taskId}");
                task = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                return task.Status != "Running";
            },
            TimeSpan.FromSeconds(60),
            () => $"download task {taskId} still runs");
        return task;
    }

    private async Task AssertRefusedAsync(string name, string source, string reason)
    {
        var upload = new ChunkedUpload(_cluster.Api, _hostId, _poolId, name, source, ChunkBytes);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => upload.RunAsync());
        Assert.Contains(reason, error.Message);
        Assert.False(File.Exists(Path.Combine(_cluster.ImagePool, name)), $"{name} is not in the pool");
        Assert.False(File.Exists(Path.Combine(PartialFolder, name)), $"nothing of {name} is left");
    }

    private string[] Listing() =>
        [.. Directory.EnumerateFileSystemEntries(_cluster.ImagePool, "*", SearchOption.AllDirectories).Where(p => !Directory.Exists(p)).Order(StringComparer.Ordinal)];

    private async Task<JsonElement> PoolsAsync() =>
        JsonDocument.Parse(await _cluster.Api.GetStringAsync($"/api/v1/hosts/{_hostId}/pools")).RootElement;

    private async Task<JsonElement> ContentAsync() =>
        JsonDocument.Parse(await _cluster.Api.GetStringAsync($"/api/v1/hosts/{_hostId}/pools/{_poolId}/content")).RootElement;

    /// <summary>The status of the newest task of this kind, read from the panel's SQLite file.</summary>
    private async Task<string?> LastTaskStatusAsync(string kind)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cluster.DatabasePath};Mode=ReadOnly");
        await db.OpenAsync();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT Status FROM Tasks WHERE Kind = $kind ORDER BY StartedAt DESC LIMIT 1";
        command.Parameters.AddWithValue("$kind", kind);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static void QemuImg(params string[] arguments)
    {
        var start = new ProcessStartInfo("qemu-img") { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }
}
