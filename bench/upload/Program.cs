// bench/upload: a 1 GiB ISO uploaded the way the browser page does it (8 MiB slices, one PUT each, with the
// expected SHA-256) (r) to a remote host: panel → the agent-dialed tunnel → agent → pool; (e) to the host whose
// agent the panel embeds (the single-machine setup): panel → pool; against (c) a plain copy of the same bytes to
// the same disk (read, write, fsync: what any receiver must do at the very least).
// All run in one invocation, alternating; each ratio is taken run by run, then its min/median/max printed.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WebVirt.Bench.Upload;
using WebVirt.TestSupport;

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var sizeMiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
const int ChunkBytes = 8 << 20;

await using var remote = new TestCluster();
await remote.StartPanelAsync();
var remoteHost = await remote.AddHostAsync("bench");
var remotePool = await DefaultPoolAsync(remote, remoteHost);

await using var embedded = new TestCluster();
var embeddedHost = await embedded.StartEmbeddedPanelAsync();
var embeddedPool = await DefaultPoolAsync(embedded, embeddedHost);

// The test guest's ISO at the front (so the file passes the ISO 9660 check), random bytes after it.
using var sources = new TempFolder("wvbu");
var source = sources.Combine("big.iso");
var sha256 = BigIso.Write(source, remote.Guest.IsoPath, (long)sizeMiB << 20);
Console.WriteLine($"source: {source}, {sizeMiB} MiB, SHA-256 {sha256}");

var resent = 0;
var remoteTimes = new List<double>();
var embeddedTimes = new List<double>();
var copyTimes = new List<double>();
var chunkMilliseconds = new Dictionary<TestCluster, List<double>> { [remote] = [], [embedded] = [] };

// One warm-up upload of each kind (JIT, connection pools) that is not counted.
for (var i = 0; i <= runs; i++)
{
    var r = await UploadAsync(remote, remoteHost, remotePool, $"big-{i}.iso");
    var e = await UploadAsync(embedded, embeddedHost, embeddedPool, $"big-{i}.iso");
    var target = Path.Combine(remote.ImagePool, $"copy-{i}.iso");
    var c = BigIso.PlainCopy(source, target);
    File.Delete(target);
    if (i == 0)
    {
        continue;
    }

    remoteTimes.Add(r);
    embeddedTimes.Add(e);
    copyTimes.Add(c);
    Console.WriteLine($"run {i}/{runs}: (r) remote {Rate(r)}, (e) embedded {Rate(e)}, (c) plain copy {Rate(c)}");
}

Console.WriteLine();
Console.WriteLine($"upload ({runs} runs each, {sizeMiB} MiB, {ChunkBytes >> 20} MiB chunks, medians): (r) panel → tunnel → agent → pool {Rate(BareQemuLaunch.Median(remoteTimes))}, "
    + $"(e) embedded panel → pool {Rate(BareQemuLaunch.Median(embeddedTimes))}, (c) plain copy on the same disk {Rate(BareQemuLaunch.Median(copyTimes))}");
Console.WriteLine($"one {ChunkBytes >> 20} MiB chunk PUT, median (the last one, which checks the file, left out): (r) {BareQemuLaunch.Median(chunkMilliseconds[remote]):F1} ms, (e) {BareQemuLaunch.Median(chunkMilliseconds[embedded]):F1} ms");
Console.WriteLine($"chunks resent after a broken tunnel: {resent}");
Ratio("e/c embedded vs plain copy (goal >= 0.8)", embeddedTimes);
Ratio("r/c remote vs plain copy (goal >= 0.5)", remoteTimes);

// Throughput ratio of one run = the copy's time / the upload's time.
void Ratio(string title, List<double> times)
{
    var ratios = times.Zip(copyTimes, (upload, copy) => copy / upload).Order().ToArray();
    Console.WriteLine($"ratio {title}: min {ratios[0]:F2}  median {BareQemuLaunch.Median(ratios):F2}  max {ratios[^1]:F2}");
}

async Task<double> UploadAsync(TestCluster cluster, Guid hostId, Guid poolId, string name)
{
    var stopwatch = Stopwatch.StartNew();
    JsonElement result;
    try
    {
        var client = new ChunkedUpload(cluster.Api, hostId, poolId, name, source, ChunkBytes);
        var chunkStarted = Stopwatch.GetTimestamp();
        result = await client.RunAsync(sha256, received =>
        {
            if (received < client.TotalBytes)
            {
                chunkMilliseconds[cluster].Add(Stopwatch.GetElapsedTime(chunkStarted).TotalMilliseconds);
            }

            chunkStarted = Stopwatch.GetTimestamp();
        });
        resent += client.Retries;
    }
    catch (InvalidOperationException)
    {
        await Task.Delay(1000);
        Console.Error.WriteLine($"Panel output:\n{cluster.Panel?.Output}\nAgent output:\n{cluster.Agent?.Output}");
        throw;
    }

    stopwatch.Stop();
    if (result.GetProperty("sha256").GetString() != sha256)
    {
        throw new InvalidOperationException("The uploaded file's SHA-256 differs from the source's.");
    }

    using (var delete = await cluster.Api.DeleteAsync($"/api/v1/hosts/{hostId}/pools/{poolId}/content/{name}"))
    {
        delete.EnsureSuccessStatusCode();
    }

    return stopwatch.Elapsed.TotalSeconds;
}

static async Task<Guid> DefaultPoolAsync(TestCluster cluster, Guid hostId)
{
    JsonElement pools = default;
    await TestCluster.WaitUntilAsync(async () =>
    {
        pools = JsonDocument.Parse(await cluster.Api.GetStringAsync($"/api/v1/hosts/{hostId}/pools")).RootElement;
        return pools.GetArrayLength() > 0;
    }, TimeSpan.FromSeconds(30), () => "the host got no default pool");
    return pools[0].GetProperty("id").GetGuid();
}

string Rate(double seconds) => $"{sizeMiB * 1.048576 / seconds:F0} MB/s";
