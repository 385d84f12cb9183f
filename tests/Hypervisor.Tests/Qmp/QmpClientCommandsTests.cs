using System.Text.Json;
using WebVirt.Hypervisor.Qmp;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>
/// The typed helpers against the fake server: argument names as QEMU 7.2 wants them, and
/// replies as QEMU 7.2 sent them (captured from qemu-system-x86_64 7.2.22).
/// </summary>
public sealed class QmpClientCommandsTests : IAsyncLifetime
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
    public async Task QueryStatusAsync_PrelaunchReply_ParsesStatus()
    {
        var (_, status) = await RoundTripAsync(
            c => c.QueryStatusAsync(), "query-status", """{"status": "prelaunch", "singlestep": false, "running": false}""");

        Assert.Equal(new QmpStatus("prelaunch", false, false), status);
    }

    [Fact]
    public async Task QueryBlockAsync_Qemu72Reply_ParsesEmptyCdromAndBlockdevDisk()
    {
        const string reply = """
            [{"io-status": "ok", "device": "", "locked": false, "removable": true, "qdev": "cd0", "tray_open": false, "type": "unknown"},
             {"io-status": "ok", "device": "", "locked": false, "removable": false, "inserted": {"iops_rd": 0, "detect_zeroes": "off",
              "image": {"virtual-size": 10485760, "filename": "/tmp/q/d.qcow2", "cluster-size": 65536, "format": "qcow2"},
              "ro": false, "node-name": "d0", "backing_file_depth": 0, "drv": "qcow2", "encrypted": false, "file": "/tmp/q/d.qcow2"},
              "qdev": "/machine/peripheral/disk0/virtio-backend", "type": "unknown"}]
            """;

        var (_, devices) = await RoundTripAsync(c => c.QueryBlockAsync(), "query-block", reply.ReplaceLineEndings(" "));

        Assert.Equal(2, devices.Count);
        Assert.Equal("cd0", devices[0].Qdev);
        Assert.True(devices[0].Removable);
        Assert.False(devices[0].TrayOpen);
        Assert.False(devices[0].HasMedium);
        Assert.Equal("", devices[1].Device);
        Assert.Equal("d0", devices[1].NodeName);
        Assert.Equal("/tmp/q/d.qcow2", devices[1].File);
        Assert.Equal("qcow2", devices[1].Format);
        Assert.False(devices[1].ReadOnly);
        Assert.Null(devices[1].TrayOpen);
    }

    [Fact]
    public async Task QueryJobsAsync_ConcludedJobWithError_Parses()
    {
        var (_, jobs) = await RoundTripAsync(
            c => c.QueryJobsAsync(),
            "query-jobs",
            """[{"current-progress": 1, "status": "concluded", "total-progress": 1, "type": "snapshot-save", "id": "save0", "error": "Device 'x' is writable but does not support snapshots"}]""");

        var job = Assert.Single(jobs);
        Assert.Equal("save0", job.Id);
        Assert.Equal("snapshot-save", job.Type);
        Assert.Equal("concluded", job.Status);
        Assert.Equal("Device 'x' is writable but does not support snapshots", job.Error);
    }

    [Fact]
    public async Task JobDismissAsync_SendsId()
    {
        var (arguments, _) = await RoundTripAsync(c => c.JobDismissAsync("save0"), "job-dismiss");

        Assert.Equal("""{"id":"save0"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task QueryMigrateAsync_CompletedReply_ParsesProgress()
    {
        var (_, info) = await RoundTripAsync(
            c => c.QueryMigrateAsync(),
            "query-migrate",
            """{"status": "completed", "setup-time": 9, "downtime": 3, "total-time": 190, "ram": {"total": 84484096, "remaining": 0, "transferred": 435588, "mbps": 26.8}}""");

        Assert.Equal("completed", info.Status);
        Assert.Equal(435588, info.TransferredBytes);
        Assert.Equal(0, info.RemainingBytes);
        Assert.Equal(84484096, info.TotalBytes);
        Assert.Equal(3, info.DowntimeMs);
        Assert.Equal(190, info.TotalTimeMs);
    }

    [Fact]
    public async Task QueryMigrateAsync_NeverMigrated_StatusNone()
    {
        var (_, info) = await RoundTripAsync(c => c.QueryMigrateAsync(), "query-migrate", "{}");

        Assert.Equal("none", info.Status);
        Assert.Null(info.TransferredBytes);
    }

    [Fact]
    public async Task MigrateSetCapabilitiesAsync_SendsCapabilityList()
    {
        var (arguments, _) = await RoundTripAsync(
            c => c.MigrateSetCapabilitiesAsync(new Dictionary<string, bool> { ["events"] = true, ["xbzrle"] = false }),
            "migrate-set-capabilities");

        Assert.Equal(
            """{"capabilities":[{"capability":"events","state":true},{"capability":"xbzrle","state":false}]}""",
            arguments.GetRawText());
    }

    [Fact]
    public async Task MigrateAsync_SendsUri()
    {
        var (arguments, _) = await RoundTripAsync(c => c.MigrateAsync("unix:/run/m.sock"), "migrate");

        Assert.Equal("""{"uri":"unix:/run/m.sock"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task MigrateIncomingAsync_SendsUri()
    {
        var (arguments, _) = await RoundTripAsync(c => c.MigrateIncomingAsync("unix:/run/m.sock"), "migrate-incoming");

        Assert.Equal("""{"uri":"unix:/run/m.sock"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task BalloonAsync_SendsValueInBytes()
    {
        var (arguments, _) = await RoundTripAsync(c => c.BalloonAsync(32L * 1024 * 1024), "balloon");

        Assert.Equal("""{"value":33554432}""", arguments.GetRawText());
    }

    [Fact]
    public async Task QueryBalloonAsync_Reply_ReturnsActual()
    {
        var (_, actual) = await RoundTripAsync(c => c.QueryBalloonAsync(), "query-balloon", """{"actual": 67108864}""");

        Assert.Equal(67108864, actual);
    }

    [Fact]
    public async Task BlockdevChangeMediumAsync_SendsQemu72ArgumentNames()
    {
        var (arguments, _) = await RoundTripAsync(
            c => c.BlockdevChangeMediumAsync("cd0", "/isos/debian.iso", "raw"), "blockdev-change-medium");

        Assert.Equal("""{"id":"cd0","filename":"/isos/debian.iso","format":"raw","read-only-mode":"read-only"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task EjectAsync_SendsIdAndForce()
    {
        var (arguments, _) = await RoundTripAsync(c => c.EjectAsync("cd0", force: true), "eject");

        Assert.Equal("""{"id":"cd0","force":true}""", arguments.GetRawText());
    }

    [Fact]
    public async Task ScreendumpAsync_NoDevice_SendsFilenameAndFormatOnly()
    {
        var (arguments, _) = await RoundTripAsync(c => c.ScreendumpAsync("/tmp/s.png"), "screendump");

        Assert.Equal("""{"filename":"/tmp/s.png","format":"png"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task SetVncPasswordAsync_SendsProtocolAndPassword()
    {
        var (arguments, _) = await RoundTripAsync(c => c.SetVncPasswordAsync("s3cret"), "set_password");

        Assert.Equal("""{"protocol":"vnc","password":"s3cret"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task ExpireVncPasswordAsync_SendsProtocolAndTimeUnescaped()
    {
        var (arguments, _) = await RoundTripAsync(c => c.ExpireVncPasswordAsync("+60"), "expire_password");

        Assert.Equal("""{"protocol":"vnc","time":"+60"}""", arguments.GetRawText());
    }

    [Fact]
    public async Task QueryVncAsync_Reply_ParsesEnabledAndClients()
    {
        var (_, vnc) = await RoundTripAsync(
            c => c.QueryVncAsync(),
            "query-vnc",
            """{"enabled": true, "auth": "vnc", "family": "unix", "clients": [{"host": "", "websocket": false}], "service": "/run/vnc.sock", "host": ""}""");

        Assert.Equal(new QmpVncInfo(true, 1, "vnc", "/run/vnc.sock"), vnc);
    }

    [Fact]
    public async Task SystemPowerdownAsync_SendsCommandWithoutArguments()
    {
        var (arguments, _) = await RoundTripAsync(c => c.SystemPowerdownAsync(), "system_powerdown");

        Assert.Equal(JsonValueKind.Undefined, arguments.ValueKind);
    }

    private Task<(JsonElement Arguments, bool Done)> RoundTripAsync(Func<QmpClient, Task> call, string command) =>
        RoundTripAsync(async c => { await call(c); return true; }, command);

    /// <summary>Runs <paramref name="call"/>, checks the command it sent, answers it, and returns what was sent and the result.</summary>
    private async Task<(JsonElement Arguments, T Result)> RoundTripAsync<T>(Func<QmpClient, Task<T>> call, string command, string reply = "{}")
    {
        var running = call(_client);
        var sent = await _peer.ExpectAsync(command);
        await _peer.ReplyAsync(sent, reply);
        var result = await running.WaitAsync(Step);
        return (sent.TryGetProperty("arguments", out var arguments) ? arguments : default, result);
    }
}
