// bench/dashboard: the dashboard with 1000 VMs against an empty one, in one run on one machine.
//  1. Server-side render: a new circuit's scope and renderer, the real navigation tree and DashboardPage loading
//     hosts and VMs from a real SQLite inventory (the panel's own services) until quiescent, then its HTML. Median
//     and p99 of many. The VM table is virtualized: its rows come after the browser reports its viewport, so the
//     rows themselves are not in this render (the filtered count, the host cards and the navigation tree are).
//  2. Memory: the panel's managed heap and working set after seeding, and per open dashboard with 50 open.
//  3. Live update: one VM's state changes in the database and the InventoryNotifier raises VmChanged, the path an
//     agent's report takes; timed until each of 50 open dashboards has re-read the VM and rendered again (p50/p99
//     over every circuit of every trial), and until the last of the 50 has. Sending the diff to a browser is not included.
// The baseline for render and memory is a dashboard with no VM; for the live update it is a dashboard with two VMs
// (something must change). With --tree-cost the baseline is the page alone with the same VMs, and the loaded side adds
// the navigation tree: the ratios are then what the tree costs on top of the page.
using System.Diagnostics;
using System.Globalization;
using WebVirt.Bench.Dashboard;

// Usage: [vms] [--page-only | --tree-cost]; --page-only leaves the navigation tree out, to tell its cost from the page's;
// --tree-cost measures the page alone against the page with the tree, both with the same VMs, and renders both by turns
// in one panel too (the steadier render ratio on a busy machine).
var vmCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var treeCost = args.Contains("--tree-cost");
var withNavigation = treeCost || !args.Contains("--page-only");
const int Circuits = 50;
const int RenderRuns = 25;
const int Trials = 30;

var baseline = treeCost ? await MeasureAsync(vmCount, navigation: false) : await MeasureAsync(0, withNavigation);
var loaded = await MeasureAsync(vmCount, withNavigation);
var (pageAlone, pageAndTree) = treeCost ? await InterleavedRendersAsync(vmCount) : (new List<double>(), new List<double>());

Console.WriteLine();
var what = treeCost ? "page + navigation tree vs page only" : $"{vmCount} VMs vs baseline; {(withNavigation ? "page + navigation tree" : "page only")}";
Console.WriteLine($"bench/dashboard ({vmCount} VMs; {what}; {RenderRuns} renders, {Circuits} circuits, {Trials} state changes; {Environment.ProcessorCount} CPUs, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
Row("render, median (ms)", baseline.RenderMedian, loaded.RenderMedian);
Row("render, p99 (ms)", baseline.RenderP99, loaded.RenderP99);
Row("panel heap after seeding (MiB)", baseline.HeapMiB, loaded.HeapMiB);
Row("panel working set with 50 open (MiB)", baseline.WorkingSetMiB, loaded.WorkingSetMiB);
Row("heap per open dashboard (KiB)", baseline.PerCircuitKiB, loaded.PerCircuitKiB);
Row("state change → a circuit, p50 (ms)", baseline.LatencyP50, loaded.LatencyP50);
Row("state change → a circuit, p99 (ms)", baseline.LatencyP99, loaded.LatencyP99);
Row("state change → all 50, p50 (ms)", baseline.AllP50, loaded.AllP50);
Row("state change → all 50, p99 (ms)", baseline.AllP99, loaded.AllP99);
if (treeCost)
{
    Console.WriteLine($"  {"navigation tree's heap per circuit (KiB)",-42} {loaded.PerCircuitKiB - baseline.PerCircuitKiB,9:F2}");
    Row("render by turns in one panel, median (ms)", Percentile(pageAlone, 50), Percentile(pageAndTree, 50));
    Row("render by turns in one panel, p99 (ms)", Percentile(pageAlone, 99), Percentile(pageAndTree, 99));
}

static void Row(string what, double baseline, double loaded) =>
    Console.WriteLine($"  {what,-42} baseline {baseline,9:F2}   loaded {loaded,9:F2}   ratio {loaded / baseline,6:F2}");

async Task<Result> MeasureAsync(int count, bool navigation)
{
    var label = (count == 0 ? "baseline (empty)" : $"{count} VMs") + (navigation ? ", page + tree" : ", page only");
    await using var panel = await BenchPanel.StartAsync();
    await panel.SeedAsync(count);
    var heap = Heap();

    // Render: a few warm-up runs (JIT, EF query cache), then the measured ones.
    var renders = new List<double>();
    for (var i = 0; i < RenderRuns + 3; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await using var circuit = await DashboardCircuit.OpenAsync(panel, navigation);
        var html = await circuit.HtmlAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!html.Contains(count == 0 ? "No virtual machines yet." : $"data-testid=\"vm-count\"><span class=\"mud-chip-content\">{count}<", StringComparison.Ordinal))
        {
            File.WriteAllText("/tmp/bench-dashboard.html", html);
            Check(false, $"{label}: the dashboard did not render its VMs");
        }

        if (navigation && !html.Contains("data-testid=\"nav-host\"", StringComparison.Ordinal))
        {
            File.WriteAllText("/tmp/bench-dashboard.html", html);
            Check(false, $"{label}: the navigation tree did not render its host");
        }

        if (i >= 3)
        {
            renders.Add(elapsed);
        }
    }

    // The live-update baseline needs a VM to change; a second one keeps a running VM on the host card throughout.
    if (count == 0)
    {
        await panel.SeedAsync(2);
    }

    var vmId = await panel.VmIdAsync("vm-0000");
    var before = Heap();
    var circuits = new List<DashboardCircuit>();
    for (var i = 0; i < Circuits; i++)
    {
        circuits.Add(await DashboardCircuit.OpenAsync(panel, navigation));
    }

    var perCircuitKiB = (Heap() - before) * 1024 / Circuits;
    var workingSet = Environment.WorkingSet / (1024.0 * 1024);

    var each = new List<double>();
    var all = new List<double>();
    for (var trial = 0; trial < Trials + 2; trial++)
    {
        await panel.FlipStateAsync(vmId);
        var running = await panel.RunningCountAsync();
        var started = Stopwatch.GetTimestamp();
        var reached = circuits.Select(c => c.NextRenderAfter(started)).ToList();
        panel.Notifier.NotifyVmChanged(vmId);
        var times = await Task.WhenAll(reached).WaitAsync(TimeSpan.FromSeconds(60));
        var latencies = times.Select(t => Stopwatch.GetElapsedTime(started, t).TotalMilliseconds).ToList();
        if (trial >= 2)
        {
            each.AddRange(latencies);
            all.Add(latencies.Max());
        }

        // The host card counts the VMs by state: it must show the new number of running VMs.
        Check((await circuits[trial % Circuits].HtmlAsync()).Contains($"{running} Running", StringComparison.Ordinal), $"{label}: circuit missed the change");
    }

    foreach (var circuit in circuits)
    {
        await circuit.DisposeAsync();
    }

    var result = new Result(Percentile(renders, 50), Percentile(renders, 99), heap, workingSet, perCircuitKiB,
        Percentile(each, 50), Percentile(each, 99), Percentile(all, 50), Percentile(all, 99));
    Console.WriteLine($"{label}: {result}");
    return result;
}

// The page alone and the page with the tree rendered by turns against one panel, so that a busy machine slows both alike.
async Task<(List<double> PageAlone, List<double> PageAndTree)> InterleavedRendersAsync(int count)
{
    await using var panel = await BenchPanel.StartAsync();
    await panel.SeedAsync(count);
    var alone = new List<double>();
    var withTree = new List<double>();
    for (var i = 0; i < RenderRuns * 2 + 3; i++)
    {
        foreach (var navigation in new[] { false, true })
        {
            var started = Stopwatch.GetTimestamp();
            await using var circuit = await DashboardCircuit.OpenAsync(panel, navigation);
            await circuit.HtmlAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 3)
            {
                (navigation ? withTree : alone).Add(elapsed);
            }
        }
    }

    return (alone, withTree);
}

static double Heap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024);
}

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}

internal sealed record Result(
    double RenderMedian,
    double RenderP99,
    double HeapMiB,
    double WorkingSetMiB,
    double PerCircuitKiB,
    double LatencyP50,
    double LatencyP99,
    double AllP50,
    double AllP99);
