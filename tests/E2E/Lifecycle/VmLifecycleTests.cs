using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Lifecycle;

/// <summary>
/// The panel and an agent as separate processes, a real guest in QEMU, a real SQLite file: the whole path
/// from an API call to a VM and back, and the promise that restarting either program never touches a VM.
/// </summary>
[Collection(RealProcessesCollection.Name)]
public sealed class VmLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private readonly TestCluster _cluster = new();
    private Guid _hostId;

    public async Task InitializeAsync()
    {
        await _cluster.StartPanelAsync();
        _hostId = await _cluster.AddHostAsync("node1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task CreateStartShutdownDelete_ThroughTheApi_DrivesARealGuest()
    {
        var vmId = await CreateVmAsync("lifecycle", withDisk: true);
        var definitionFile = Path.Combine(_cluster.AgentVmDataDirectory, vmId.ToString(), "definition.json");
        Assert.True(File.Exists(definitionFile), "the agent stored the VM's definition");
        var disk = (await _cluster.GetVmAsync(vmId)).GetProperty("definition").GetProperty("disks")[0].GetProperty("path").GetString()!;
        Assert.True(File.Exists(disk), "the agent created the disk image in its pool");

        await PostAsync($"/api/v1/vms/{vmId}/start", HttpStatusCode.OK);
        var running = await _cluster.WaitForVmStateAsync(vmId, "Running");
        Assert.True(running.GetProperty("pid").GetInt32() > 0);
        await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(_cluster.AgentRunDirectory, vmId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        await PostAsync($"/api/v1/vms/{vmId}/shutdown?timeout=60", HttpStatusCode.OK);
        var stopped = await _cluster.WaitForVmStateAsync(vmId, "Stopped");
        Assert.Contains("guest", stopped.GetProperty("lastExit").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(TestGuest.PowerOffLine, await File.ReadAllTextAsync(Path.Combine(_cluster.AgentVmDataDirectory, vmId.ToString(), "serial.log")));

        using var delete = await _cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}?removeDisks=true");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.False(File.Exists(definitionFile), "the VM's files are gone from the host");
        Assert.False(File.Exists(disk), "its disk is gone too");
        using var gone = await _cluster.Api.GetAsync($"/api/v1/vms/{vmId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AgentKilled_WhileAVmRuns_TheVmKeepsRunningAndTheNewAgentReattaches()
    {
        var vmId = await CreateVmAsync("survivor", withDisk: false);
        await PostAsync($"/api/v1/vms/{vmId}/start", HttpStatusCode.OK);
        var pid = (await _cluster.WaitForVmStateAsync(vmId, "Running")).GetProperty("pid").GetInt32();
        await _cluster.Agent!.KillAsync();
        await _cluster.WaitForHostAsync(_hostId, connected: false);
        Assert.True(QemuProcesses.IsAlive(pid), "QEMU survives its agent being killed with SIGKILL");

        _cluster.StartAgent(_cluster.AgentToken!);
        await _cluster.WaitForHostAsync(_hostId, connected: true);

        var vm = await _cluster.WaitForVmStateAsync(vmId, "Running");
        Assert.Equal(pid, vm.GetProperty("pid").GetInt32());
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("stateMismatch").ValueKind);
        await PostAsync($"/api/v1/vms/{vmId}/stop", HttpStatusCode.OK);
        await _cluster.WaitForVmStateAsync(vmId, "Stopped");
        Assert.False(QemuProcesses.IsAlive(pid), "the re-attached agent controls the same QEMU");
    }

    [Fact]
    public async Task DeleteWhileTheHostIsAway_IsCarriedOutWhenItsAgentReturns()
    {
        var vmId = await CreateVmAsync("ghost", withDisk: true);
        var folder = Path.Combine(_cluster.AgentVmDataDirectory, vmId.ToString());
        await _cluster.Agent!.KillAsync();
        await _cluster.WaitForHostAsync(_hostId, connected: false);

        using var delete = await _cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}?removeDisks=true");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.True((await _cluster.GetVmAsync(vmId)).GetProperty("pendingDeletion").GetBoolean());
        Assert.True(Directory.Exists(folder), "nothing can happen on a host that is away");

        _cluster.StartAgent(_cluster.AgentToken!);
        await TestCluster.WaitUntilAsync(async () =>
        {
            using var response = await _cluster.Api.GetAsync($"/api/v1/vms/{vmId}");
            return response.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(60), () => $"the pending deletion was not completed.\nAgent output:\n{_cluster.Agent!.Output}");
        Assert.False(Directory.Exists(folder), "the host removed the VM once it was back");
        Assert.Equal([Path.GetFileName(_cluster.GuestIsoInPool)], Directory.GetFiles(_cluster.ImagePool).Select(Path.GetFileName));
    }

    [Fact]
    public async Task PanelRestarted_WhileAVmRuns_AgentReconnectsAndNothingIsTouched()
    {
        var vmId = await CreateVmAsync("steady", withDisk: false);
        await PostAsync($"/api/v1/vms/{vmId}/start", HttpStatusCode.OK);
        var pid = (await _cluster.WaitForVmStateAsync(vmId, "Running")).GetProperty("pid").GetInt32();

        await _cluster.Panel!.KillAsync();
        await _cluster.StartPanelAsync();
        await _cluster.WaitForHostAsync(_hostId, connected: true);

        var vm = await _cluster.WaitForVmStateAsync(vmId, "Running");
        Assert.Equal(pid, vm.GetProperty("pid").GetInt32());
        Assert.True(QemuProcesses.IsAlive(pid));
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("stateMismatch").ValueKind);
    }

    [Fact]
    public async Task TwentyConflictingCalls_OnOneVm_EachGetAnAnswerAndTheEndStateIsConsistent()
    {
        var vmId = await CreateVmAsync("contested", withDisk: false);
        var paths = new[] { "start", "stop", "start", "shutdown?timeout=5" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await Task.Delay(Random.Shared.Next(0, 200));
            using var response = i % 7 == 6
                ? await _cluster.Api.DeleteAsync($"/api/v1/vms/{vmId}")
                : await _cluster.Api.PostAsync($"/api/v1/vms/{vmId}/{paths[i % paths.Length]}", null);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.True(
            r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound,
            $"unexpected {(int)r.StatusCode}: {r.Body}"));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Contains("detail", r.Body, StringComparison.Ordinal));

        // Settle, then the panel, the agent and /proc must agree.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var get = await _cluster.Api.GetAsync($"/api/v1/vms/{vmId}");
        var qemu = QemuProcesses.Under(vmId.ToString());
        if (get.StatusCode == HttpStatusCode.NotFound)
        {
            Assert.Empty(qemu);
            return;
        }

        var vm = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement;
        var state = vm.GetProperty("state").GetString();
        Assert.True(state is "Running" or "Stopped", $"settled state {state}");
        Assert.Equal(state == "Running" ? 1 : 0, qemu.Count);
    }

    private async Task<Guid> CreateVmAsync(string name, bool withDisk)
    {
        using var response = await _cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name,
            hostId = _hostId,
            memoryMiB = 256,
            cdromIsoPath = _cluster.GuestIsoInPool,
            disks = withDisk ? new[] { new { sizeMiB = 64 } } : [],
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
    }

    private async Task PostAsync(string path, HttpStatusCode expected)
    {
        using var response = await _cluster.Api.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {body}");
    }
}
