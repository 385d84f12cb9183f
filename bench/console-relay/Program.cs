// bench/console-relay: a 256 MB stream (echoed back, full duplex) and a 1-byte ping-pong through
// (a) a direct unix socket, the limit; (b) Debian's websockify --unix-target, the standard noVNC relay;
// (c) WebVirt's console path to a remote host: client WebSocket → panel → agent tunnel WebSocket → unix socket;
// (d) WebVirt's embedded single-machine path: client WebSocket → panel → unix socket.
// Runs alternate a, b, c, d; each figure is the median over the runs.
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
    ("c webvirt remote", () => WebSocketConnection.ConnectAsync(webvirt.ConsoleAddress)),
    ("d webvirt embedded", () => WebSocketConnection.ConnectAsync(webvirt.LocalConsoleAddress)),
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

// Each ratio is taken run by run (the paths of one run shared the machine's state), then summarised.
Ratio("c/b remote vs websockify (goal: throughput >= 2, p99 <= 1)", paths[2].Name, paths[1].Name);
Ratio("c/a remote vs direct", paths[2].Name, paths[0].Name);
Ratio("d/a embedded vs direct (goal: throughput >= 0.4, p50 <= 2)", paths[3].Name, paths[0].Name);

void Ratio(string title, string path, string baseline)
{
    var pairs = results[path].Zip(results[baseline]).ToArray();
    Console.WriteLine($"ratio {title}:");
    Summary("throughput", pairs.Select(p => p.First.MegabytesPerSecond / p.Second.MegabytesPerSecond));
    Summary("p50 RTT", pairs.Select(p => p.First.P50Microseconds / p.Second.P50Microseconds));
    Summary("p99 RTT", pairs.Select(p => p.First.P99Microseconds / p.Second.P99Microseconds));
}

static void Summary(string what, IEnumerable<double> ratios)
{
    var values = ratios.ToArray();
    Console.WriteLine($"    {what,-10} min {values.Min(),5:F2}  median {Measurements.Median(values),5:F2}  max {values.Max(),5:F2}");
}
