using System.Text.Json.Nodes;

namespace WebVirt.Hypervisor.Qmp;

// Typed wrappers for the commands the agent uses. Argument names are QEMU 7.2's.
public sealed partial class QmpClient
{
    public async Task<QmpStatus> QueryStatusAsync(CancellationToken cancellationToken = default) =>
        QmpStatus.FromJson(await ExecuteAsync("query-status", cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary>Presses the ACPI power button: only POWERDOWN follows unless the guest acts on it.</summary>
    public Task SystemPowerdownAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("system_powerdown", cancellationToken: cancellationToken);

    public Task SystemResetAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("system_reset", cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("stop", cancellationToken: cancellationToken);

    public Task ContAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("cont", cancellationToken: cancellationToken);

    /// <summary>
    /// Ends QEMU. QEMU closes the connection right after; a connection that closes before the
    /// reply arrives counts as success. <see cref="Completion"/> completes once the socket closes.
    /// </summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync("quit", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (QmpDisconnectedException ex) when (ex.Disconnect.Reason == QmpDisconnectReason.ClosedByPeer)
        {
            // The reply was lost in the close; QEMU is going away as asked.
        }
    }

    /// <summary>Writes the display to a file on the QEMU host. Needs a display device (e.g. -device VGA).</summary>
    public Task ScreendumpAsync(string path, string format = "png", string? device = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var arguments = new JsonObject { ["filename"] = path, ["format"] = format };
        if (device is not null)
        {
            arguments["device"] = device;
        }

        return ExecuteAsync("screendump", arguments, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<QmpBlockDevice>> QueryBlockAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync("query-block", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. QmpJson.Array(reply).Select(QmpBlockDevice.FromJson)];
    }

    public async Task<IReadOnlyList<QmpJob>> QueryJobsAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync("query-jobs", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. QmpJson.Array(reply).Select(QmpJob.FromJson)];
    }

    /// <summary>Removes a concluded job from <c>query-jobs</c>.</summary>
    public Task JobDismissAsync(string id, CancellationToken cancellationToken = default) =>
        ExecuteAsync("job-dismiss", new JsonObject { ["id"] = id }, cancellationToken: cancellationToken);

    /// <summary>Sets migration capabilities by name, e.g. <c>events</c> (enable on both ends).</summary>
    public Task MigrateSetCapabilitiesAsync(IDictionary<string, bool> capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var list = new JsonArray();
        foreach (var (name, state) in capabilities)
        {
            list.Add(new JsonObject { ["capability"] = name, ["state"] = state });
        }

        return ExecuteAsync("migrate-set-capabilities", new JsonObject { ["capabilities"] = list }, cancellationToken: cancellationToken);
    }

    /// <summary>Starts an outgoing migration; it runs on after the reply (follow MIGRATION events or poll <see cref="QueryMigrateAsync"/>).</summary>
    public Task MigrateAsync(string uri, CancellationToken cancellationToken = default) =>
        ExecuteAsync("migrate", new JsonObject { ["uri"] = uri }, cancellationToken: cancellationToken);

    /// <summary>Starts listening on a destination started with <c>-incoming defer</c>.</summary>
    public Task MigrateIncomingAsync(string uri, CancellationToken cancellationToken = default) =>
        ExecuteAsync("migrate-incoming", new JsonObject { ["uri"] = uri }, cancellationToken: cancellationToken);

    public async Task<QmpMigrationInfo> QueryMigrateAsync(CancellationToken cancellationToken = default) =>
        QmpMigrationInfo.FromJson(await ExecuteAsync("query-migrate", cancellationToken: cancellationToken).ConfigureAwait(false));

    /// <summary>Asks the balloon driver for a new guest size in bytes. Needs a virtio-balloon device.</summary>
    public Task BalloonAsync(long bytes, CancellationToken cancellationToken = default) =>
        ExecuteAsync("balloon", new JsonObject { ["value"] = bytes }, cancellationToken: cancellationToken);

    /// <summary>The guest's current size in bytes as the balloon reports it.</summary>
    public async Task<long> QueryBalloonAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ExecuteAsync("query-balloon", cancellationToken: cancellationToken).ConfigureAwait(false);
        return QmpJson.Int64(reply, "actual") ?? throw new QmpException($"query-balloon reply lacks 'actual': {QmpJson.Truncate(reply)}");
    }

    /// <summary>
    /// Inserts a medium into a removable drive by its qdev id (opens and closes the tray).
    /// <paramref name="readOnlyMode"/> is <c>retain</c>, <c>read-only</c> or <c>read-write</c>; null leaves QEMU's default.
    /// </summary>
    public Task BlockdevChangeMediumAsync(
        string qdevId, string filename, string format, string? readOnlyMode = "read-only", CancellationToken cancellationToken = default)
    {
        var arguments = new JsonObject { ["id"] = qdevId, ["filename"] = filename, ["format"] = format };
        if (readOnlyMode is not null)
        {
            arguments["read-only-mode"] = readOnlyMode;
        }

        return ExecuteAsync("blockdev-change-medium", arguments, cancellationToken: cancellationToken);
    }

    /// <summary>Ejects the medium of a removable drive; <paramref name="force"/> overrides a guest's tray lock.</summary>
    public Task EjectAsync(string qdevId, bool force = false, CancellationToken cancellationToken = default) =>
        ExecuteAsync("eject", new JsonObject { ["id"] = qdevId, ["force"] = force }, cancellationToken: cancellationToken);

    /// <summary>Sets the VNC password; QEMU uses only its first 8 characters. Fails unless VNC is enabled.</summary>
    public Task SetVncPasswordAsync(string password, CancellationToken cancellationToken = default) =>
        ExecuteAsync("set_password", new JsonObject { ["protocol"] = "vnc", ["password"] = password }, cancellationToken: cancellationToken);

    /// <summary>Expires the VNC password: <c>+N</c> (seconds from now), <c>now</c>, <c>never</c>, or an absolute Unix time.</summary>
    public Task ExpireVncPasswordAsync(string time, CancellationToken cancellationToken = default) =>
        ExecuteAsync("expire_password", new JsonObject { ["protocol"] = "vnc", ["time"] = time }, cancellationToken: cancellationToken);

    public async Task<QmpVncInfo> QueryVncAsync(CancellationToken cancellationToken = default) =>
        QmpVncInfo.FromJson(await ExecuteAsync("query-vnc", cancellationToken: cancellationToken).ConfigureAwait(false));
}
