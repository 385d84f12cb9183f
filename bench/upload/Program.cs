// bench/upload: a 1 GiB ISO uploaded the way the browser page does it (8 MiB slices, one PUT each, with the
// expected SHA-256) through the panel, the agent-dialed tunnel and the agent into the pool, against a plain
// copy of the same bytes to the same disk (read, write, fsync: what the agent must do at the very least).
// Both run in the same invocation; runs alternate and each side reports its median.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WebVirt.Bench.Upload;
using WebVirt.TestSupport;

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var sizeMiB = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
const int ChunkBytes = 8 << 20;

await using var cluster = new TestCluster();
await cluster.StartPanelAsync();
var hostId = await cluster.AddHostAsync("bench");
JsonElement pools = default;
await TestCluster.WaitUntilAsync(async () =>
{
    pools = JsonDocument.Parse(await cluster.Api.GetStringAsync($"/api/v1/hosts/{hostId}/pools")).RootElement;
    return pools.GetArrayLength() > 0;
}, TimeSpan.FromSeconds(30), () => "the host got no default pool");
var poolId = pools[0].GetProperty("id").GetGuid();

// The test guest's ISO at the front (so the file passes the ISO 9660 check), random bytes after it.
using var sources = new TempFolder("wvbu");
var source = sources.Combine("big.iso");
var sha256 = BigIso.Write(source, cluster.Guest.IsoPath, (long)sizeMiB << 20);
Console.WriteLine($"source: {source}, {sizeMiB} MiB, SHA-256 {sha256}");

var resent = 0;
var upload = new List<double>();
var copy = new List<double>();
for (var i = 0; i < runs; i++)
{
    var name = $"big-{i}.iso";
    var stopwatch = Stopwatch.StartNew();
    JsonElement result;
    try
    {
        var client = new ChunkedUpload(cluster.Api, hostId, poolId, name, source, ChunkBytes);
        result = await client.RunAsync(sha256);
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

    upload.Add(stopwatch.Elapsed.TotalSeconds);
    using (var delete = await cluster.Api.DeleteAsync($"/api/v1/hosts/{hostId}/pools/{poolId}/content/{name}"))
    {
        delete.EnsureSuccessStatusCode();
    }

    var target = Path.Combine(cluster.ImagePool, $"copy-{i}.iso");
    copy.Add(BigIso.PlainCopy(source, target));
    File.Delete(target);
    Console.WriteLine($"run {i + 1}/{runs}: upload {Rate(upload[^1])}, plain copy {Rate(copy[^1])}");
}

var uploadMedian = BareQemuLaunch.Median(upload);
var copyMedian = BareQemuLaunch.Median(copy);
Console.WriteLine();
Console.WriteLine($"upload ({runs} runs each, {sizeMiB} MiB, {ChunkBytes >> 20} MiB chunks, median): browser-style chunks → panel → tunnel → agent → pool {Rate(uploadMedian)}, plain copy on the same disk {Rate(copyMedian)}");
Console.WriteLine($"chunks resumed after a broken tunnel: {resent}");
Console.WriteLine($"ratio upload/plain-copy throughput {copyMedian / uploadMedian:F2} (median time {uploadMedian:F2} s vs {copyMedian:F2} s)");

string Rate(double seconds) => $"{sizeMiB * 1.048576 / seconds:F0} MB/s";
