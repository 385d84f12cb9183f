using Microsoft.Extensions.Logging;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>Follows each running QEMU: its state changes become reports, and its exit is recorded and reported once.</summary>
internal sealed class VmWatcher(VmRegistry registry, ILogger<VmWatcher> logger)
{
    /// <summary>Forwards the run's state changes as reports until QEMU exits (reported as Stopped, with why) or the agent lets go.</summary>
    public void Watch(VmEntry entry, VmRun run) => _ = Task.Run(() => WatchAsync(entry, run));

    private async Task WatchAsync(VmEntry entry, VmRun run)
    {
        try
        {
            var last = run.Process.State;
            await foreach (var change in run.Process.StateChanges.ReadAllAsync().ConfigureAwait(false))
            {
                // The exit is reported below, once, with its kind and description. Once the guest has powered
                // off, QEMU's STOP and the SHUTDOWN of the quit that follows are steps of the same exit, not a pause.
                if (change.State == VmPowerState.Stopped
                    || (last == VmPowerState.ShuttingDown && change.State is VmPowerState.Paused or VmPowerState.ShuttingDown))
                {
                    continue;
                }

                last = change.State;
                registry.Feed.Publish(entry.Report(change.Reason, change.State, change.QemuStatus));
            }

            VmExit exit;
            try
            {
                exit = await run.Process.Exited.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (entry.Finish(run, exit))
            {
                await run.Process.DisposeAsync().ConfigureAwait(false);
                registry.Feed.Publish(entry.Report(ExitReasons.Of(exit.Kind)));
                if (entry.Definition is null)
                {
                    registry.Forget(entry);
                }
            }
        }
        catch (Exception ex)
        {
            VmHostLog.WatchFailed(logger, entry.Uuid, ex);
        }
        finally
        {
            run.MarkFinished();
        }
    }
}
