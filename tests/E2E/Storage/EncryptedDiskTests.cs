using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Storage;

/// <summary>An encrypted disk created and started through the panel's API: the panel keeps the key, the agent gets it for each start.</summary>
[Collection(RealProcessesCollection.Name)]
public sealed class EncryptedDiskTests : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(60);
    private readonly TestCluster _cluster = new();
    private Guid _hostId;

    public async Task InitializeAsync()
    {
        await _cluster.StartPanelAsync();
        _hostId = await _cluster.AddHostAsync("node1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task EncryptedDisk_ThroughThePanel_KeepsDataAcrossAnAgentRestart_KeyOnNoCommandLine()
    {
        using var response = await _cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name = "locked",
            hostId = _hostId,
            memoryMiB = 256,
            cdromIsoPath = _cluster.GuestIsoInPool,
            disks = new[] { new { sizeMiB = 64, encrypted = true } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var vmId = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
        var disk = (await _cluster.GetVmAsync(vmId)).GetProperty("definition").GetProperty("disks")[0];
        Assert.True(disk.GetProperty("encrypted").GetBoolean());
        Assert.True((await new QemuImg().InfoAsync(disk.GetProperty("path").GetString()!, DiskFormat.Qcow2)).Encrypted);

        for (var boot = 0; boot < 2; boot++)
        {
            using (var start = await _cluster.Api.PostAsync($"/api/v1/vms/{vmId}/start", null))
            {
                Assert.True(start.StatusCode == HttpStatusCode.OK, await start.Content.ReadAsStringAsync());
            }

            var pid = (await _cluster.WaitForVmStateAsync(vmId, "Running")).GetProperty("pid").GetInt32();
            var cmdline = (await File.ReadAllTextAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
            Assert.Contains("secret,id=disk0-secret,file=", cmdline, StringComparison.Ordinal);
            Assert.DoesNotContain("data=", cmdline, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_cluster.AgentRunDirectory, vmId.ToString(), "disk0.key")), "the key file is gone once QEMU runs");

            await using (var serial = await SerialConsole.ConnectAsync(Path.Combine(_cluster.AgentRunDirectory, vmId.ToString(), "serial.sock"), TimeSpan.FromSeconds(10)))
            {
                await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
                await serial.SendLineAsync(boot == 0 ? "webvirt-disk-write sealed" : "webvirt-disk-read");
                await serial.WaitForAsync(boot == 0 ? "WEBVIRT-DISK-WRITTEN sealed" : "WEBVIRT-DISK-MARKER sealed", Guest);
            }

            using (var stop = await _cluster.Api.PostAsync($"/api/v1/vms/{vmId}/stop", null))
            {
                Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            }

            await _cluster.WaitForVmStateAsync(vmId, "Stopped");
            if (boot == 0)
            {
                // The restarted agent has no key in memory: the panel must provide it again at the next start.
                await _cluster.Agent!.KillAsync();
                await _cluster.WaitForHostAsync(_hostId, connected: false);
                _cluster.StartAgent(_cluster.AgentToken!);
                await _cluster.WaitForHostAsync(_hostId, connected: true);
            }
        }
    }
}
