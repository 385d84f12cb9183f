using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Interop;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Hypervisor.Screens;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// One running QEMU and the agent's QMP connection to it. Disposing it only lets go of the VM (the VM keeps
/// running and a later <see cref="VmSupervisor.TryAttachAsync"/> finds it again); stopping it is explicit.
/// </summary>
public sealed class VmProcess : IAsyncDisposable
{
    /// <summary>A 4K screen as a QEMU PNG is far below this; a file above it is no screendump.</summary>
    public const int MaxScreendumpBytes = 32 * 1024 * 1024;

    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitConfirmation = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QmpTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly bool _isOurChild;
    private readonly Channel<VmStateChange> _stateChanges = Channel.CreateUnbounded<VmStateChange>(new UnboundedChannelOptions { SingleReader = false });
    private readonly TaskCompletionSource<VmExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _detach = new();
    private readonly Task _monitor;
    private QmpClient _qmp;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _unplugs = new(StringComparer.Ordinal);
    private JsonElement? _shutdownEvent;
    private ChildExitStatus? _childStatus;

    internal VmProcess(VmPaths paths, int pid, QmpClient qmp, string qemuStatus, bool isOurChild, bool attached, ILogger logger)
    {
        Paths = paths;
        Pid = pid;
        _qmp = qmp;
        _isOurChild = isOurChild;
        Attached = attached;
        _logger = logger;
        QemuStatus = qemuStatus;
        State = QemuRunStates.ToPowerState(qemuStatus);
        _monitor = Task.Run(MonitorAsync);
    }

    public Guid Uuid => Paths.Uuid;

    public int Pid { get; }

    public VmPaths Paths { get; }

    /// <summary>True when this VM was found running (after an agent restart) rather than started by this instance.</summary>
    public bool Attached { get; }

    public VmPowerState State { get; private set; }

    public string QemuStatus { get; private set; }

    /// <summary>The live QMP connection, for operations the typed methods here do not cover.</summary>
    public QmpClient Qmp => _qmp;

    /// <summary>Every state change in order, until the VM exits (then the channel completes).</summary>
    public ChannelReader<VmStateChange> StateChanges => _stateChanges.Reader;

    /// <summary>Completes when QEMU has ended, with the reason; cancelled if this instance is disposed first.</summary>
    public Task<VmExit> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompletedSuccessfully;

    /// <summary>
    /// Presses the ACPI power button and waits for the guest to power off; after <paramref name="timeout"/>
    /// the VM is stopped hard.
    /// </summary>
    public async Task<ShutdownOutcome> ShutdownAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            return ShutdownOutcome.NotRunning;
        }

        await _qmp.SystemPowerdownAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A hard stop from elsewhere may end the wait early: only the guest's own poweroff is graceful.
            var exit = await _exited.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return exit.Kind == VmExitKind.GuestShutdown ? ShutdownOutcome.Graceful : ShutdownOutcome.Forced;
        }
        catch (TimeoutException)
        {
            VmProcessLog.ShutdownTimedOut(_logger, Uuid, timeout);
            await StopAsync(cancellationToken).ConfigureAwait(false);
            return ShutdownOutcome.Forced;
        }
    }

    /// <summary>Hard power-off: QEMU quits at once, as if the power cord were pulled. SIGKILL if it does not.</summary>
    public async Task<VmExit> StopAsync(CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            return await _exited.Task.ConfigureAwait(false);
        }

        try
        {
            await _qmp.QuitAsync(cancellationToken).ConfigureAwait(false);
            return await _exited.Task.WaitAsync(QuitGrace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or QmpException)
        {
            VmProcessLog.Killing(_logger, Uuid, Pid);
            Native.SendSignal(Pid, Native.SigKill);
            return await _exited.Task.WaitAsync(QuitGrace, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ResetAsync(CancellationToken cancellationToken = default) => _qmp.SystemResetAsync(cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken = default) => _qmp.StopAsync(cancellationToken);

    public Task ResumeAsync(CancellationToken cancellationToken = default) => _qmp.ContAsync(cancellationToken);

    /// <summary>
    /// The screen as PNG bytes (needs a display adapter). QEMU writes the file itself, as its own user, into the
    /// VM's run folder, where it could as well put a symbolic link to any file of the host, a FIFO or a huge file:
    /// the agent reads it without following links, only as a regular file of at most
    /// <see cref="MaxScreendumpBytes"/>, and passes it on only when it is a sound PNG
    /// (<see cref="InvalidDataException"/> otherwise).
    /// </summary>
    public async Task<byte[]> ScreendumpPngAsync(CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(Paths.RunDirectory, $"screen-{Guid.NewGuid():N}.png");
        try
        {
            await _qmp.ScreendumpAsync(file, "png", cancellationToken: cancellationToken).ConfigureAwait(false);
            var png = Native.ReadUntrustedRegularFile(file, MaxScreendumpBytes, out var refused)
                ?? throw new InvalidDataException($"The screendump was refused: {refused}.");
            return PngCheck.Problem(png) is { } problem
                ? throw new InvalidDataException($"The screendump was refused: {problem}.")
                : png;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Unplugs a device and waits until the guest has released it (DEVICE_DELETED). A guest that does not
    /// answer within <paramref name="timeout"/> gets a <see cref="TimeoutException"/>; the device may still
    /// go later, when the guest gets round to it. A device QEMU no longer has counts as released: that is
    /// how such a late release looks to the next unplug (device_del answers DeviceNotFound).
    /// </summary>
    /// <returns>True when the device was released now, false when it was already gone.</returns>
    public async Task<bool> UnplugDeviceAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _unplugs[id] = deleted;
        try
        {
            // Registered before the command: the event can arrive before device_del's reply.
            try
            {
                await _qmp.DeviceDelAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (QmpException ex) when (ex.ErrorClass is "DeviceNotFound")
            {
                return false;
            }

            try
            {
                await deleted.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"The guest did not release device '{id}' within {timeout.TotalSeconds:0} seconds (no DEVICE_DELETED).", ex);
            }

            return true;
        }
        finally
        {
            _unplugs.TryRemove(new KeyValuePair<string, TaskCompletionSource>(id, deleted));
        }
    }

    /// <summary>Lets go of the VM without touching it: it keeps running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_detach.IsCancellationRequested)
        {
            await _detach.CancelAsync().ConfigureAwait(false);
        }

        await _qmp.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _monitor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _exited.TrySetCanceled();
        _stateChanges.Writer.TryComplete();
        _detach.Dispose();
    }

    private async Task MonitorAsync()
    {
        while (true)
        {
            await foreach (var qmpEvent in _qmp.Events.ReadAllAsync(_detach.Token).ConfigureAwait(false))
            {
                await OnEventAsync(qmpEvent).ConfigureAwait(false);
            }

            _detach.Token.ThrowIfCancellationRequested();
            if (!await WaitForExitAsync().ConfigureAwait(false))
            {
                // QEMU still runs but the monitor connection dropped: take a fresh one and carry on.
                VmProcessLog.QmpLost(_logger, Uuid, Pid);
                if (await TryReconnectAsync().ConfigureAwait(false))
                {
                    continue;
                }
            }

            Finish(DescribeExit());
            return;
        }
    }

    private async Task OnEventAsync(QmpEvent qmpEvent)
    {
        switch (qmpEvent.Name)
        {
            case "SHUTDOWN":
                // Keep the first: quitting after a guest poweroff emits a second SHUTDOWN (host-qmp-quit).
                _shutdownEvent ??= qmpEvent.Data.Clone();
                Publish("shutdown", $"shutdown ({ReadString(qmpEvent.Data, "reason") ?? "unknown reason"})");

                // -no-shutdown keeps QEMU alive after the guest powers off so that we learn why it stopped;
                // now that we know, let the process end.
                if (ReadString(qmpEvent.Data, "reason") != "host-qmp-quit")
                {
                    await QuitQuietlyAsync().ConfigureAwait(false);
                }

                break;
            case "STOP":
                // After a SHUTDOWN, -no-shutdown stops the vCPUs: that is the end of the VM, not a pause.
                if (_shutdownEvent is null)
                {
                    Publish("paused", "paused");
                }

                break;
            case "RESUME":
                Publish("running", "resumed");
                break;
            case "RESET":
                Publish(QemuStatus, $"reset ({ReadString(qmpEvent.Data, "reason") ?? "unknown reason"})");
                break;
            case "DEVICE_DELETED":
                if (ReadString(qmpEvent.Data, "device") is { } device && _unplugs.TryGetValue(device, out var unplug))
                {
                    unplug.TrySetResult();
                }

                break;
            case "GUEST_PANICKED":
                Publish("guest-panicked", "the guest kernel panicked");
                break;
        }
    }

    private async Task QuitQuietlyAsync()
    {
        try
        {
            await _qmp.QuitAsync(_detach.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException)
        {
            VmProcessLog.QuitAfterShutdownFailed(_logger, Uuid, ex);
        }
    }

    private void Publish(string qemuStatus, string reason)
    {
        QemuStatus = qemuStatus;
        State = QemuRunStates.ToPowerState(qemuStatus);
        VmProcessLog.StateChanged(_logger, Uuid, State, qemuStatus, reason);
        _stateChanges.Writer.TryWrite(new VmStateChange(State, qemuStatus, reason));
    }

    /// <summary>Waits briefly for the process to be gone once QMP has closed; false if it still runs.</summary>
    private async Task<bool> WaitForExitAsync()
    {
        var deadline = DateTime.UtcNow + ExitConfirmation;
        while (DateTime.UtcNow < deadline)
        {
            // Reap it if it is our child, even when attached: an agent that re-attaches within the same
            // process (tests, an in-process restart) is still its parent.
            _childStatus ??= Native.TryReap(Pid);
            if (_childStatus is not null)
            {
                return true;
            }

            if (!_isOurChild && !Native.IsAlive(Pid))
            {
                // Gone, or a zombie: if it is one of ours after all, collect it now.
                _childStatus = Native.TryReap(Pid);
                return true;
            }

            await Task.Delay(50, _detach.Token).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> TryReconnectAsync()
    {
        try
        {
            var fresh = await QmpClient.ConnectAsync(Paths.QmpSocket, QmpTimeout, _logger, _detach.Token).ConfigureAwait(false);
            await _qmp.DisposeAsync().ConfigureAwait(false);
            _qmp = fresh;
            var status = await _qmp.QueryStatusAsync(_detach.Token).ConfigureAwait(false);
            Publish(status.Status, "monitor reconnected");
            return true;
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private VmExit DescribeExit()
    {
        if (_shutdownEvent is { } shutdown)
        {
            var reason = ReadString(shutdown, "reason") ?? "unknown";
            var byGuest = shutdown.TryGetProperty("guest", out var guest) && guest.ValueKind == JsonValueKind.True;
            if (byGuest)
            {
                return new VmExit(VmExitKind.GuestShutdown, $"The guest powered off ({reason}).", _childStatus?.ExitCode);
            }

            return reason == "host-qmp-quit"
                ? new VmExit(VmExitKind.Stopped, "Stopped (hard power-off).", _childStatus?.ExitCode)
                : new VmExit(VmExitKind.Stopped, $"QEMU was told to stop by the host ({reason}).", _childStatus?.ExitCode);
        }

        var log = QemuLogTail();
        if (_childStatus is { Signal: { } signal })
        {
            return new VmExit(VmExitKind.Killed, $"QEMU was killed by {SignalNames.Describe(signal)} without a shutdown.{log}", null, signal);
        }

        if (_childStatus is { ExitCode: { } code })
        {
            return new VmExit(VmExitKind.Crashed, $"QEMU exited with code {code} without a shutdown.{log}", code);
        }

        return new VmExit(VmExitKind.Killed, $"QEMU ended without a shutdown event: it was killed or crashed.{log}");
    }

    private string QemuLogTail()
    {
        var tail = QemuLog.Tail(Paths.QemuLog, 5);
        return tail.Length == 0 ? "" : $" Last lines of {Paths.QemuLog}: {tail}";
    }

    private void Finish(VmExit exit)
    {
        VmProcessLog.Exited(_logger, Uuid, exit.Description);
        RunFolder.Clean(Paths);
        QemuStatus = "stopped";
        State = VmPowerState.Stopped;
        _stateChanges.Writer.TryWrite(new VmStateChange(VmPowerState.Stopped, "stopped", exit.Description));
        _stateChanges.Writer.TryComplete();
        _exited.TrySetResult(exit);
    }

    private static string? ReadString(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
