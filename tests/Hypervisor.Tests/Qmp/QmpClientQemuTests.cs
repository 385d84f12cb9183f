using System.Text.Json;
using WebVirt.Hypervisor.Qmp;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary><see cref="QmpClient"/> against a real QEMU 7.2 (TCG, no guest), one process per test.</summary>
public sealed class QmpClientQemuTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ConnectAsync_RealQemu_NegotiatesAndReportsVersion7()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        Assert.Equal(7, client.Version.Major);
        Assert.True(client.IsConnected);
        Assert.Equal(7, (await client.ExecuteAsync("query-version")).GetProperty("qemu").GetProperty("major").GetInt32());
    }

    [Fact]
    public async Task QueryStatusAsync_StartedWithS_IsPrelaunch()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var status = await client.QueryStatusAsync();

        Assert.Equal("prelaunch", status.Status);
        Assert.False(status.Running);
    }

    [Fact]
    public async Task ContAsync_Prelaunch_RunningWithResumeEvent()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        await client.ContAsync();

        await ReadEventAsync(client, "RESUME");
        var status = await client.QueryStatusAsync();
        Assert.Equal("running", status.Status);
        Assert.True(status.Running);
    }

    [Fact]
    public async Task StopAsync_Running_PausedWithStopEvent()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        await client.ContAsync();

        await client.StopAsync();

        await ReadEventAsync(client, "STOP");
        Assert.Equal("paused", (await client.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task SystemResetAsync_Running_EmitsResetEvent()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        await client.ContAsync();

        await client.SystemResetAsync();

        var reset = await ReadEventAsync(client, "RESET");
        Assert.Equal("host-qmp-system-reset", reset.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SystemPowerdownAsync_NoGuest_EmitsOnlyPowerdownEvent()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        await client.ContAsync();

        await client.SystemPowerdownAsync();

        await ReadEventAsync(client, "POWERDOWN");
        Assert.Equal("running", (await client.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task ScreendumpAsync_Png_WritesPngFile()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        var path = Path.Combine(qemu.Directory, "screen.png");

        await client.ScreendumpAsync(path);

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8));
    }

    [Fact]
    public async Task ScreendumpAsync_UnknownDevice_ThrowsQmpException()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var ex = await Assert.ThrowsAsync<QmpException>(
            () => client.ScreendumpAsync(Path.Combine(qemu.Directory, "s.png"), device: "no-such-device"));

        Assert.Equal("screendump", ex.Command);
        Assert.NotNull(ex.ErrorClass);
    }

    [Fact]
    public async Task QueryBlockAsync_ChangeMediumThenEject_ReportsCdromState()
    {
        await using var qemu = await BareQemu.StartAsync("-device", "ide-cd,bus=ide.0,id=cd0");
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        var iso = Path.Combine(qemu.Directory, "cd.iso");
        await File.WriteAllBytesAsync(iso, new byte[1024 * 1024]);

        var empty = Assert.Single(await client.QueryBlockAsync());
        await client.BlockdevChangeMediumAsync("cd0", iso, "raw");
        var loaded = Assert.Single(await client.QueryBlockAsync());
        await client.EjectAsync("cd0", force: true);
        var ejected = Assert.Single(await client.QueryBlockAsync());

        Assert.Equal(("cd0", true, false, false), (empty.Qdev, empty.Removable, empty.HasMedium, empty.TrayOpen));
        Assert.Equal((iso, "raw", true, false), (loaded.File, loaded.Format, loaded.ReadOnly, loaded.TrayOpen));
        Assert.Equal((false, true), (ejected.HasMedium, ejected.TrayOpen));
        var tray = await ReadEventAsync(client, "DEVICE_TRAY_MOVED");
        Assert.Equal("cd0", tray.Data.GetProperty("id").GetString());
    }

    [Fact]
    public async Task EjectAsync_UnknownDevice_ThrowsDeviceNotFound()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var ex = await Assert.ThrowsAsync<QmpException>(() => client.EjectAsync("nope", force: true));

        Assert.Equal("DeviceNotFound", ex.ErrorClass);
    }

    [Fact]
    public async Task SetVncPasswordAsync_VncWithPassword_AcceptedAndQueryVncEnabled()
    {
        await using var qemu = await BareQemu.StartAsync("-vnc", "unix:vnc.sock,password=on");
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        await client.SetVncPasswordAsync("s3cret-long-password");
        await client.ExpireVncPasswordAsync("+60");
        await client.ExpireVncPasswordAsync("never");
        var vnc = await client.QueryVncAsync();

        Assert.True(vnc.Enabled);
        Assert.Equal(0, vnc.ClientCount);
        Assert.Equal("vnc", vnc.Auth);
    }

    [Fact]
    public async Task QueryVncAsync_NoVnc_NotEnabled()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        Assert.False((await client.QueryVncAsync()).Enabled);
        await Assert.ThrowsAsync<QmpException>(() => client.SetVncPasswordAsync("x"));
    }

    [Fact]
    public async Task BalloonAsync_BalloonDevice_AcceptedAndQueryBalloonReportsActual()
    {
        await using var qemu = await BareQemu.StartAsync("-device", "virtio-balloon-pci,id=balloon0");
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        await client.BalloonAsync(32L * 1024 * 1024);

        // No guest driver, so the balloon does not move.
        Assert.Equal(64L * 1024 * 1024, await client.QueryBalloonAsync());
    }

    [Fact]
    public async Task QueryJobsAsync_NoJobs_EmptyAndDismissUnknownThrows()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        Assert.Empty(await client.QueryJobsAsync());
        var ex = await Assert.ThrowsAsync<QmpException>(() => client.JobDismissAsync("nope"));
        Assert.Equal("GenericError", ex.ErrorClass);
    }

    [Fact]
    public async Task MigrateAsync_ToFile_CompletesWithEventsAndPostmigrate()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        var target = Path.Combine(qemu.Directory, "state.bin");
        Assert.Equal("none", (await client.QueryMigrateAsync()).Status);

        await client.MigrateSetCapabilitiesAsync(new Dictionary<string, bool> { ["events"] = true });
        await client.MigrateAsync($"exec:cat > {target}");

        string? status;
        do
        {
            status = (await ReadEventAsync(client, "MIGRATION")).Data.GetProperty("status").GetString();
        }
        while (status is not ("completed" or "failed"));

        Assert.Equal("completed", status);
        var info = await client.QueryMigrateAsync();
        Assert.Equal("completed", info.Status);
        Assert.True(info.TransferredBytes > 0);
        Assert.NotNull(info.DowntimeMs);
        Assert.Equal("postmigrate", (await client.QueryStatusAsync()).Status);
        Assert.True(new FileInfo(target).Length > 0);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownCommand_ThrowsCommandNotFound()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var ex = await Assert.ThrowsAsync<QmpException>(() => client.ExecuteAsync("no-such-command"));

        Assert.Equal("CommandNotFound", ex.ErrorClass);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ExecuteAsync_QueryQmpSchema_HugeLineParses()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var schema = await client.ExecuteAsync("query-qmp-schema");

        Assert.True(schema.GetRawText().Length > 100_000, $"schema is only {schema.GetRawText().Length} bytes");
        Assert.Contains(schema.EnumerateArray(), e => e.GetProperty("name").GetString() == "query-status");
    }

    [Fact]
    public async Task ConnectAsync_SecondClientWhileFirstConnected_ThrowsAnotherClientThenReconnectWorks()
    {
        await using var qemu = await BareQemu.StartAsync();
        var first = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        var ex = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(qemu.QmpSocketPath, TimeSpan.FromSeconds(1)));
        Assert.Contains("another QMP client may be connected", ex.Message);
        Assert.Equal("prelaunch", (await first.QueryStatusAsync()).Status);
        await first.DisposeAsync();

        // A new connection gets its own greeting and negotiation.
        await using var second = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);
        Assert.Equal("prelaunch", (await second.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task QuitAsync_RealQemu_CompletionCompletesAndProcessExits()
    {
        await using var qemu = await BareQemu.StartAsync();
        await using var client = await QmpClient.ConnectAsync(qemu.QmpSocketPath, Step);

        await client.QuitAsync();

        var disconnect = await client.Completion.WaitAsync(Step);
        Assert.Equal(QmpDisconnectReason.ClosedByPeer, disconnect.Reason);
        await qemu.Process.WaitForExitAsync(new CancellationTokenSource(Step).Token);
        Assert.Equal(0, qemu.Process.ExitCode);
        var shutdown = await ReadEventAsync(client, "SHUTDOWN");
        Assert.Equal("host-qmp-quit", shutdown.Data.GetProperty("reason").GetString());
        await Assert.ThrowsAsync<QmpDisconnectedException>(() => client.QueryStatusAsync());
    }

    private static async Task<QmpEvent> ReadEventAsync(QmpClient client, string name)
    {
        using var timeout = new CancellationTokenSource(Step);
        await foreach (var qmpEvent in client.Events.ReadAllAsync(timeout.Token))
        {
            if (qmpEvent.Name == name)
            {
                return qmpEvent;
            }
        }

        throw new InvalidOperationException($"QMP connection ended without a {name} event");
    }
}
