using Microsoft.Extensions.Logging;
using WebVirt.Host.Agent.Hosts;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// The agent's VMs over the agent's life: at start, loads the stored definitions and re-attaches to every QEMU that
/// outlived the previous agent, then autostarts; at stop, lets go of every VM without stopping it (a later
/// instance re-attaches). What is done to the VMs meanwhile is the feature services' work, through the registry.
/// </summary>
internal sealed class VmHost(
    VmRegistry registry,
    VmSupervisor supervisor,
    ImagePool imagePool,
    VmDefinitionStore store,
    HostFactsReader facts,
    VmWatcher watcher,
    VmPower power,
    ILogger<VmHost> logger) : IAsyncDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _initialized;
    private int _disposed;
    private RunRootClaim? _runRoot;

    /// <summary>Completes once the stored definitions are loaded and running VMs re-attached.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The actual state of every VM on this host.</summary>
    public IReadOnlyList<VmReport> Reports() => registry.Reports();

    /// <summary>Every report published from now on (state changes, starts, exits), in order.</summary>
    public VmReportSubscription SubscribeReports() => registry.Feed.Subscribe();

    /// <summary>Progress of long operations for the panel's tasks; read by one consumer, the panel connection.</summary>
    public System.Threading.Channels.ChannelReader<TaskProgress> TaskProgress => registry.Progress.Reader;

    public Task<HostFacts> ReadHostFactsAsync(CancellationToken cancellationToken = default) => facts.ReadAsync(cancellationToken);

    /// <summary>
    /// Loads the stored definitions and re-attaches to every QEMU that outlived the previous agent, without
    /// disturbing it. QEMUs found running with no definition are attached and reported too, never stopped.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 1)
        {
            await Ready.ConfigureAwait(false);
            return;
        }

        try
        {
            // First: attaching to the VMs of another instance that shares the run folder would take them over.
            _runRoot = supervisor.ClaimRunRoot();
            imagePool.EnsureExists();
            foreach (var definition in store.LoadAll())
            {
                await AttachAsync(registry.AddDefined(definition), cancellationToken).ConfigureAwait(false);
            }

            foreach (var uuid in supervisor.FindRunFolders())
            {
                var known = registry.Contains(uuid);
                var entry = registry.NewEntry(uuid);
                if (!known && await AttachAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    VmHostLog.UndefinedVmRunning(logger, uuid, entry.Run?.Process.Pid);
                    registry.Add(entry);
                }
            }

            var reports = registry.Reports();
            VmHostLog.Loaded(logger, reports.Count, reports.Count(r => r.Pid is not null), imagePool.Root);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    /// <summary>Starts every VM marked autostart that is not running, one after the other, in start order (then by name).</summary>
    public async Task AutostartAsync()
    {
        await Ready.ConfigureAwait(false);
        var due = registry.Entries()
            .Where(e => e.Definition is { Autostart: true } && e.Run is null && !supervisor.IsRunning(e.Uuid))
            .OrderBy(e => e.Definition!.StartOrder == 0 ? int.MaxValue : e.Definition.StartOrder)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var entry in due)
        {
            if (registry.IsStopping)
            {
                return;
            }

            var reply = await power.StartVm(entry.Uuid).ConfigureAwait(false);
            if (reply.Ok)
            {
                VmHostLog.Autostarted(logger, entry.Uuid, entry.Name);
            }
            else
            {
                VmHostLog.AutostartFailed(logger, entry.Uuid, entry.Name, reply.Error);
            }
        }
    }

    /// <summary>Lets go of every VM; none is stopped. Operations in flight are cancelled and awaited first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await registry.StopAsync().ConfigureAwait(false);
        var detached = 0;
        foreach (var entry in registry.Entries())
        {
            if (entry.TryDetach(out var run))
            {
                await run.Process.DisposeAsync().ConfigureAwait(false);
                await run.Finished.ConfigureAwait(false);
                detached++;
            }
        }

        registry.Feed.Complete();
        _runRoot?.Dispose();
        _ready.TrySetCanceled();
        VmHostLog.Detached(logger, detached);
    }

    private async Task<bool> AttachAsync(VmEntry entry, CancellationToken cancellationToken)
    {
        VmProcess? process;
        try
        {
            process = await supervisor.TryAttachAsync(entry.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // Never kill it: it may be a healthy VM whose monitor is busy. Report it, and refuse to start a second copy.
            var pid = ReadPid(supervisor.PathsFor(entry.Uuid));
            VmHostLog.AttachFailed(logger, entry.Uuid, pid, ex);
            entry.SetUnreachable(pid);
            return pid is not null;
        }

        if (process is null)
        {
            return false;
        }

        var run = new VmRun(process, StartTimeOf(process.Paths));
        entry.SetRun(run);
        watcher.Watch(entry, run);
        return true;
    }

    private static int? ReadPid(VmPaths paths)
    {
        try
        {
            return int.TryParse(File.ReadAllText(paths.PidFile).Trim(), out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>QEMU writes its pidfile as it starts, so the file's time survives an agent restart as the VM's start time.</summary>
    private static DateTimeOffset StartTimeOf(VmPaths paths) =>
        File.Exists(paths.PidFile) ? new DateTimeOffset(File.GetLastWriteTimeUtc(paths.PidFile), TimeSpan.Zero) : DateTimeOffset.UtcNow;
}
