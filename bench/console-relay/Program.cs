// bench/console-relay: a 256 MB stream (echoed back, full duplex) and a 1-byte ping-pong through
// (a) a direct unix socket, the limit; (b) Debian's websockify --unix-target, the standard noVNC relay;
// (c) WebVirt's console path: client WebSocket → panel → agent tunnel WebSocket → unix socket.
// Runs alternate a, b, c; each figure is the median over the runs.
using WebVirt.Bench.ConsoleRelay;
using WebVirt.TestSupport;

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
using var folder = new TempFolder("wvc");
using var echo = new EchoServer(folder.Combine("echo.sock"));
using var websockify = await Websockify.StartAsync(echo.Path);
await using var webvirt = await WebVirtPath.StartAsync(echo.Path);

var paths = new (string Name, Func<Task<IBenchConnection>> Connect)[]
{
    ("a direct unix socket", () => SocketConnection.ConnectAsync(echo.Path)),
    ("b websockify", () => WebSocketConnection.ConnectAsync(websockify.Address)),
    ("c webvirt", () => WebSocketConnection.ConnectAsync(webvirt.ConsoleAddress)),
};
var results = paths.ToDictionary(p => p.Name, _ => new List<PathResult>());

// One warm-up pass (JIT, Kestrel, websockify's imports) that is not counted.
for (var run = 0; run <= runs; run++)
{
    foreach (var (name, connect) in paths)
    {
        double throughput;
        await using (var connection = await connect())
        {
            throughput = await Measurements.ThroughputAsync(connection);
        }

        double[] rtts;
        await using (var connection = await connect())
        {
            rtts = await Measurements.PingPongAsync(connection);
        }

        var result = new PathResult(throughput, Measurements.Percentile(rtts, 0.50), Measurements.Percentile(rtts, 0.99));
        if (run > 0)
        {
            results[name].Add(result);
            Console.WriteLine($"run {run}/{runs} {name,-22} {result.MegabytesPerSecond,8:F0} MB/s  p50 {result.P50Microseconds,7:F1} µs  p99 {result.P99Microseconds,7:F1} µs");
        }
    }
}

Console.WriteLine();
Console.WriteLine($"console-relay ({runs} alternating runs, {Measurements.StreamBytes >> 20} MB stream echoed back, {Measurements.PingPongs} one-byte round trips; medians):");
var medians = results.ToDictionary(
    r => r.Key,
    r => new PathResult(
        Measurements.Median(r.Value.Select(v => v.MegabytesPerSecond)),
        Measurements.Median(r.Value.Select(v => v.P50Microseconds)),
        Measurements.Median(r.Value.Select(v => v.P99Microseconds))));
foreach (var (name, m) in medians)
{
    Console.WriteLine($"  {name,-22} {m.MegabytesPerSecond,8:F0} MB/s  p50 {m.P50Microseconds,7:F1} µs  p99 {m.P99Microseconds,7:F1} µs");
}

var a = medians[paths[0].Name];
var b = medians[paths[1].Name];
var c = medians[paths[2].Name];
Console.WriteLine($"ratio c/b: throughput {c.MegabytesPerSecond / b.MegabytesPerSecond:F2}, p50 {c.P50Microseconds / b.P50Microseconds:F2}, p99 {c.P99Microseconds / b.P99Microseconds:F2}");
Console.WriteLine($"ratio c/a: throughput {c.MegabytesPerSecond / a.MegabytesPerSecond:F2}, p50 {c.P50Microseconds / a.P50Microseconds:F2}, p99 {c.P99Microseconds / a.P99Microseconds:F2}");
