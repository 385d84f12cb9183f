using System.Text.Json;
using System.Text.Json.Nodes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>The disk helpers against the fake server: argument names and shapes as QEMU 7.2 takes them (checked live in the agent's disk tests).</summary>
public sealed class QmpClientDisksTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = FakeQmpConnection.StepTimeout;

    private readonly FakeQmpServer _server = FakeQmpServer.Start();
    private QmpClient _client = null!;
    private FakeQmpConnection _peer = null!;

    public async Task InitializeAsync() => (_client, _peer) = await _server.ConnectClientAsync();

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _peer.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task BlockResizeAsync_NamesTheNodeAndSize()
    {
        var (arguments, _) = await RoundTripAsync(c => c.BlockResizeAsync("disk0-throttle", 1L << 30), "block_resize");

        Assert.Equal("""{"node-name":"disk0-throttle","size":1073741824}""", arguments.GetRawText());
    }

    [Fact]
    public async Task SetThrottleLimitsAsync_SetsEveryLimit_AbsentOnesAsZero()
    {
        var limits = new DiskIoLimits { ReadBytesPerSecond = 1000, WriteIops = 7 };

        var (arguments, _) = await RoundTripAsync(c => c.SetThrottleLimitsAsync("disk0-limits", limits), "qom-set");

        Assert.Equal(
            """{"path":"disk0-limits","property":"limits","value":{"bps-read":1000,"bps-write":0,"iops-read":0,"iops-write":7}}""",
            arguments.GetRawText());
    }

    [Fact]
    public async Task GetThrottleLimitsAsync_Qemu72Reply_ZeroIsUnlimited()
    {
        const string reply = """{"bps-read-max-length": 1, "iops-read-max-length": 1, "bps-read-max": 0, "bps-total": 0, "iops-total-max-length": 1, "iops-total": 0, "iops-write-max": 0, "bps-write": 5000, "bps-total-max": 0, "bps-write-max": 0, "iops-size": 0, "iops-read": 0, "iops-write-max-length": 1, "iops-write": 0, "bps-total-max-length": 1, "iops-read-max": 0, "bps-read": 0, "bps-write-max-length": 1, "iops-total-max": 0}""";

        var (arguments, limits) = await RoundTripAsync(c => c.GetThrottleLimitsAsync("disk0-limits"), "qom-get", reply);

        Assert.Equal("limits", arguments.GetProperty("property").GetString());
        Assert.Equal(new DiskIoLimits { WriteBytesPerSecond = 5000 }, limits);
    }

    [Fact]
    public async Task AddThrottleGroupAsync_ObjectAddWithLimits()
    {
        var (arguments, _) = await RoundTripAsync(c => c.AddThrottleGroupAsync("disk1-limits", new DiskIoLimits { ReadIops = 300 }), "object-add");

        Assert.Equal(
            """{"qom-type":"throttle-group","id":"disk1-limits","limits":{"bps-read":0,"bps-write":0,"iops-read":300,"iops-write":0}}""",
            arguments.GetRawText());
    }

    [Fact]
    public async Task HotplugCommands_PassTheirArgumentsAsGiven()
    {
        var device = new JsonObject { ["driver"] = "virtio-blk-pci", ["id"] = "disk1", ["drive"] = "disk1", ["bus"] = "hotplug-0" };
        var (added, _) = await RoundTripAsync(c => c.DeviceAddAsync(device), "device_add");
        var (deleted, _) = await RoundTripAsync(c => c.DeviceDelAsync("disk1"), "device_del");
        var (removed, _) = await RoundTripAsync(c => c.BlockdevDelAsync("disk1-file"), "blockdev-del");

        Assert.Equal("""{"driver":"virtio-blk-pci","id":"disk1","drive":"disk1","bus":"hotplug-0"}""", added.GetRawText());
        Assert.Equal("""{"id":"disk1"}""", deleted.GetRawText());
        Assert.Equal("""{"node-name":"disk1-file"}""", removed.GetRawText());
    }

    private Task<(JsonElement Arguments, bool Done)> RoundTripAsync(Func<QmpClient, Task> call, string command) =>
        RoundTripAsync(async c => { await call(c); return true; }, command);

    private async Task<(JsonElement Arguments, T Result)> RoundTripAsync<T>(Func<QmpClient, Task<T>> call, string command, string reply = "{}")
    {
        var running = call(_client);
        var sent = await _peer.ExpectAsync(command);
        await _peer.ReplyAsync(sent, reply);
        var result = await running.WaitAsync(Step);
        return (sent.TryGetProperty("arguments", out var arguments) ? arguments : default, result);
    }
}
