// bench/lifecycle: the REST API's start call until the panel's database shows the VM running (the whole
// path: HTTP, task and audit rows, SignalR to the agent, the supervisor, QEMU, QMP, the report back),
// against a bare qemu-system-x86_64 start of the same VM until QMP answers. Alternating runs; medians.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7;
await using var cluster = new TestCluster();
await cluster.StartPanelAsync();
var hostId = await cluster.AddHostAsync("bench");
using var created = await cluster.Api.PostAsJsonAsync("/api/v1/vms", new { name = "bench", hostId, memoryMiB = 256, cdromIsoPath = cluster.GuestIsoInPool });
created.EnsureSuccessStatusCode();
var vmId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("vmId").GetGuid();
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
var definition = (await cluster.GetVmAsync(vmId)).GetProperty("definition").Deserialize<VmDefinition>(json)!;
using var bareFolder = new TempFolder("wvbl");
var bareOptions = new HypervisorOptions { DataDirectory = bareFolder.Combine("data"), RunDirectory = bareFolder.Combine("run"), ForceAccelerator = Accelerator.Tcg };

var api = new List<double>();
var bare = new List<double>();
for (var i = 0; i < runs; i++)
{
    var clock = Stopwatch.StartNew();
    using (var start = await cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
    {
        start.EnsureSuccessStatusCode();
    }

    await cluster.WaitForVmStateAsync(vmId, "Running");
    api.Add(clock.Elapsed.TotalMilliseconds);
    using (var stop = await cluster.Api.PostAsync($"/api/v1/vms/{vmId}/stop", null))
    {
        stop.EnsureSuccessStatusCode();
    }

    await cluster.WaitForVmStateAsync(vmId, "Stopped");
    bare.Add(await BareQemuLaunch.MeasureAsync(bareOptions, definition with { Uuid = Guid.NewGuid() }));
    Console.WriteLine($"run {i + 1}/{runs}: API start → running in the database {api[^1]:F1} ms, bare qemu {bare[^1]:F1} ms");
}

var apiMedian = BareQemuLaunch.Median(api);
var bareMedian = BareQemuLaunch.Median(bare);
Console.WriteLine();
Console.WriteLine($"lifecycle ({runs} runs each, TCG, median): API {apiMedian:F1} ms, bare qemu {bareMedian:F1} ms");
Console.WriteLine($"overhead {apiMedian - bareMedian:F1} ms, ratio API/bare {apiMedian / bareMedian:F2}");
