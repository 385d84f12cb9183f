using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebVirt.TestSupport;

namespace WebVirt.E2E.Tests.Security;

/// <summary>
/// One panel and one agent process for the whole corpus, with a stopped VM (disk <c>disk0</c>, NIC <c>net0</c>) for
/// the requests that change a VM, and two loopback file servers: 127.0.0.1, the host itself, which downloads must never
/// reach, and 127.0.0.2, standing in for a public server (the agent allows 127.0.0.2/32), which redirects there.
/// </summary>
public sealed class HostileInputCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new();

    /// <summary>On 127.0.0.1: what a refused download would have reached.</summary>
    public FileServer Refused { get; } = new(new() { ["x.iso"] = new byte[2048] });

    /// <summary>On 127.0.0.2 (allowed): redirects to refused targets.</summary>
    public FileServer Redirector { get; } = new(new() { ["x.iso"] = new byte[2048] }, address: IPAddress.Parse("127.0.0.2"));

    public Guid HostId { get; private set; }

    public Guid PoolId { get; private set; }

    public Guid TargetVmId { get; private set; }

    /// <summary>The MAC address the target VM's net0 got at creation; no request may change it.</summary>
    public string TargetMac { get; private set; } = "";

    public int PanelPort => new Uri(Cluster.PanelUrl).Port;

    public async Task InitializeAsync()
    {
        Cluster.AgentSettings["Agent__Downloads__AllowedNetworks__0"] = "127.0.0.2/32";
        Cluster.AgentSettings["Agent__Downloads__ResponseTimeout"] = "00:00:05";
        await Cluster.StartPanelAsync();
        HostId = await Cluster.AddHostAsync("node1");
        JsonElement pools = default;
        await TestCluster.WaitUntilAsync(async () =>
        {
            pools = JsonDocument.Parse(await Cluster.Api.GetStringAsync($"/api/v1/hosts/{HostId}/pools")).RootElement;
            return pools.GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(30), () => "the host got no default pool");
        PoolId = pools[0].GetProperty("id").GetGuid();

        using var response = await Cluster.Api.PostAsJsonAsync("/api/v1/vms", new
        {
            name = "corpus-target",
            hostId = HostId,
            memoryMiB = 128,
            disks = new[] { new { sizeMiB = 1 } },
            nics = new[] { new { model = "Virtio" } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"the target VM: {(int)response.StatusCode} {body}");
        TargetVmId = JsonDocument.Parse(body).RootElement.GetProperty("vmId").GetGuid();
        TargetMac = (await Cluster.GetVmAsync(TargetVmId)).GetProperty("definition").GetProperty("nics")[0].GetProperty("macAddress").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Refused.Dispose();
        Redirector.Dispose();
        await Cluster.DisposeAsync();
    }
}
