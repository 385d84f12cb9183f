using WebVirt.Host.Agent.Disks;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Processes;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>Starting and stopping VMs (gracefully or not), reset, pause and resume, and screenshots of their display.</summary>
internal sealed class VmPower(VmRegistry registry, VmSupervisor supervisor, DiskPlacement placement, DiskKeyRing keys, UefiVars uefi, VmWatcher watcher)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(2);

    public Task<AgentReply> StartVm(Guid uuid) =>
        registry.RunAsync(uuid, VmOperations.Start, async (entry, cancellationToken) =>
        {
            if (entry.Definition is not { } definition)
            {
                return AgentReply.Failure(AgentErrorKind.NotFound, $"VM {uuid} runs on this host without a definition; define it before starting it again.");
            }

            if (entry.Run is not null || supervisor.IsRunning(uuid))
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is already running.");
            }

            if (definition.IsTemplate)
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is a template and is never started: clone it and start the clone.");
            }

            // Checked again at every start: the stored file lies in a folder QEMU's account can write, and the
            // supervisor hands every writable disk to that account.
            if (definition.Disks.Select(d => placement.CheckInside(d.Path)).FirstOrDefault(p => p is not null) is { } outside)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"VM '{entry.Name}' was not started: disk {outside}.");
            }

            await uefi.EnsureUefiVarsAsync(definition, cancellationToken).ConfigureAwait(false);
            registry.Feed.Publish(entry.Report("starting", VmPowerState.Starting, "prelaunch"));
            VmProcess process;
            try
            {
                process = await supervisor.StartAsync(definition, keys.DiskKeysOf(uuid), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                registry.Feed.Publish(entry.Report("start-failed"));
                throw;
            }

            var run = new VmRun(process, DateTimeOffset.UtcNow);
            entry.SetRun(run);
            var report = entry.Report("started");
            registry.Feed.Publish(report);
            watcher.Watch(entry, run);
            return AgentReply.Success(report);
        });

    /// <summary>ACPI power button, then a hard stop after the timeout (the definition's when <paramref name="timeoutSeconds"/> is 0 or less).</summary>
    public Task<AgentReply> ShutdownVm(Guid uuid, int timeoutSeconds) =>
        registry.RunAsync(uuid, VmOperations.Shutdown, async (entry, cancellationToken) =>
        {
            if (timeoutSeconds > DefinitionValidator.MaxShutdownTimeoutSeconds)
            {
                return AgentReply.Failure(AgentErrorKind.Invalid, $"A shutdown timeout must be at most {DefinitionValidator.MaxShutdownTimeoutSeconds} seconds.");
            }

            if (entry.Run is not { } run)
            {
                return AgentReplies.NotRunning(entry);
            }

            var timeout = TimeSpan.FromSeconds(timeoutSeconds > 0 ? timeoutSeconds : entry.Definition?.ShutdownTimeoutSeconds ?? 60);
            var outcome = await run.Process.ShutdownAsync(timeout, cancellationToken).ConfigureAwait(false);
            var exit = await run.Process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            await run.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
            return AgentReply.Success(entry.Report(outcome == ShutdownOutcome.Forced ? "shutdown-timeout" : ExitReasons.Of(exit.Kind)));
        });

    public Task<AgentReply> StopVm(Guid uuid)
    {
        // As with Proxmox's Stop, a hard power-off may cut a graceful shutdown short: that is what users
        // reach for when a guest ignores the power button. The shutdown then reports that it was forced.
        if (registry.TryGetEntry(uuid) is { IsVisible: true } entry && entry.CurrentOperation == VmOperations.Shutdown && entry.Run is { } running)
        {
            return PreemptShutdownAsync(entry, running);
        }

        return registry.RunAsync(uuid, VmOperations.Stop, async (entry, cancellationToken) =>
        {
            if (entry.Run is not { } run)
            {
                return AgentReplies.NotRunning(entry);
            }

            var exit = await run.Process.StopAsync(cancellationToken).ConfigureAwait(false);
            await run.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
            return AgentReply.Success(entry.Report(ExitReasons.Of(exit.Kind)));
        });
    }

    private async Task<AgentReply> PreemptShutdownAsync(VmEntry entry, VmRun run)
    {
        var exit = await run.Process.StopAsync(registry.Stopping).ConfigureAwait(false);
        await run.Finished.WaitAsync(registry.Stopping).ConfigureAwait(false);
        return AgentReply.Success(entry.Report(ExitReasons.Of(exit.Kind)));
    }

    public Task<AgentReply> ResetVm(Guid uuid) =>
        registry.RunAsync(uuid, VmOperations.Reset, async (entry, cancellationToken) =>
        {
            if (entry.Run is not { } run)
            {
                return AgentReplies.NotRunning(entry);
            }

            await run.Process.ResetAsync(cancellationToken).ConfigureAwait(false);
            return AgentReply.Success(entry.Report("reset"));
        });

    public Task<AgentReply> PauseVm(Guid uuid) =>
        registry.RunAsync(uuid, VmOperations.Pause, async (entry, cancellationToken) =>
        {
            if (entry.Run is not { } run)
            {
                return AgentReplies.NotRunning(entry);
            }

            if ((await run.Process.Qmp.QueryStatusAsync(cancellationToken).ConfigureAwait(false)).Status == "paused")
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is already paused.");
            }

            await run.Process.PauseAsync(cancellationToken).ConfigureAwait(false);
            await SettleAsync(run, VmPowerState.Paused, cancellationToken).ConfigureAwait(false);
            return AgentReply.Success(entry.Report("paused"));
        });

    public Task<AgentReply> ResumeVm(Guid uuid) =>
        registry.RunAsync(uuid, VmOperations.Resume, async (entry, cancellationToken) =>
        {
            if (entry.Run is not { } run)
            {
                return AgentReplies.NotRunning(entry);
            }

            if ((await run.Process.Qmp.QueryStatusAsync(cancellationToken).ConfigureAwait(false)).Status != "paused")
            {
                return AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is not paused.");
            }

            await run.Process.ResumeAsync(cancellationToken).ConfigureAwait(false);
            await SettleAsync(run, VmPowerState.Running, cancellationToken).ConfigureAwait(false);
            return AgentReply.Success(entry.Report("resumed"));
        });

    /// <summary>
    /// QEMU sends the STOP/RESUME event before its reply, but the process applies events on its own task: wait
    /// briefly for it, so that the reply and every later report agree with what the command did.
    /// </summary>
    private static async Task SettleAsync(VmRun run, VmPowerState expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (run.Process.State != expected && !run.Process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The screen as PNG. Not serialized with the other operations: it changes nothing, and consoles poll it
    /// for thumbnails while a long shutdown may be in progress.
    /// </summary>
    public async Task<ScreendumpReply> Screendump(Guid uuid)
    {
        var entry = registry.TryGetEntry(uuid);
        if (entry is not { IsVisible: true })
        {
            return new ScreendumpReply(AgentReplies.NotFound(uuid), null);
        }

        if (entry.Run is not { } run)
        {
            return new ScreendumpReply(AgentReplies.NotRunning(entry), null);
        }

        try
        {
            var png = await run.Process.ScreendumpPngAsync(registry.Stopping).ConfigureAwait(false);
            return new ScreendumpReply(AgentReply.Success(entry.Report()), png);
        }
        catch (Exception ex)
        {
            return new ScreendumpReply(registry.Failure(entry, VmOperations.Screendump, ex), null);
        }
    }
}
