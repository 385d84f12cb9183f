using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Disks;
using WebVirt.Host.Agent.Hosts;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// The agent's core, independent of how the panel reaches it: keeps the host's VM definitions on disk, runs
/// and watches their QEMU processes, serializes operations per VM and publishes every state change.
/// Disposing it lets go of the VMs without stopping them; a later instance re-attaches.
/// </summary>
/// <remarks>Split over three files: lifecycle and reports here, definitions and power operations beside it.</remarks>
internal sealed partial class VmHost : IAsyncDisposable
{
    private readonly VmSupervisor _supervisor;
    private readonly QemuImg _qemuImg;
    private readonly ImagePool _pool;
    private readonly DiskPlacement _disks;
    private readonly HypervisorOptions _hypervisor;
    private readonly Backups.BackupStore _backups;
    private readonly VmDefinitionStore _store;
    private readonly HostFactsReader _facts;
    private readonly VmReportFeed _feed = new();
    private readonly TaskProgressFeed _progress = new();
    private readonly ReportSequence _sequence = new(TimeProvider.System);
    private readonly ILogger _logger;
    private readonly Lock _entriesLock = new();
    private readonly Dictionary<Guid, VmEntry> _entries = [];
    private readonly ConcurrentDictionary<Task, byte> _operations = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _initialized;
    private int _disposed;

    public VmHost(VmSupervisor supervisor, QemuImg qemuImg, IOptions<AgentOptions> options, IOptions<HypervisorOptions> hypervisorOptions, ILoggerFactory loggerFactory)
    {
        _supervisor = supervisor;
        _qemuImg = qemuImg;
        _logger = loggerFactory.CreateLogger<VmHost>();
        _pool = new ImagePool(options.Value.ImageDirectory);
        _hypervisor = hypervisorOptions.Value;

        // Until storage pools say otherwise, backups live in the image pool's "backups" folder.
        _backups = new Backups.BackupStore(Path.Combine(_pool.Root, "backups"));
        _store = new VmDefinitionStore(supervisor, _logger);
        Pools = new PoolRegistry(options.Value.ImageDirectory, options.Value.PoolListFile);
        _disks = new DiskPlacement(_pool, Pools);
        Transfers = new PoolTransfers(Pools, qemuImg, loggerFactory.CreateLogger<PoolTransfers>());
        _downloads = new PoolDownloads(Transfers, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, loggerFactory.CreateLogger<PoolDownloads>());
        _facts = new HostFactsReader(supervisor, hypervisorOptions.Value.QemuBinary, _pool.Root, loggerFactory.CreateLogger<HostFactsReader>());
    }

    /// <summary>The folder every disk image must lie in.</summary>
    public string ImagePool => _pool.Root;

    /// <summary>Completes once the stored definitions are loaded and running VMs re-attached.</summary>
    public Task Ready => _ready.Task;

    public VmPaths PathsFor(Guid uuid) => _supervisor.PathsFor(uuid);

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
            _pool.EnsureExists();
            foreach (var definition in _store.LoadAll())
            {
                var entry = VmEntry.Defined(definition, _sequence);
                lock (_entriesLock)
                {
                    _entries[entry.Uuid] = entry;
                }

                await AttachAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            foreach (var uuid in _supervisor.FindRunFolders())
            {
                bool known;
                lock (_entriesLock)
                {
                    known = _entries.ContainsKey(uuid);
                }

                var entry = new VmEntry(uuid, _sequence);
                if (!known && await AttachAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    VmHostLog.UndefinedVmRunning(_logger, uuid, entry.Run?.Process.Pid);
                    lock (_entriesLock)
                    {
                        _entries[uuid] = entry;
                    }
                }
            }

            VmHostLog.Loaded(_logger, Reports().Count, Reports().Count(r => r.Pid is not null), _pool.Root);
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
        var due = Entries()
            .Where(e => e.Definition is { Autostart: true } && e.Run is null && !_supervisor.IsRunning(e.Uuid))
            .OrderBy(e => e.Definition!.StartOrder == 0 ? int.MaxValue : e.Definition.StartOrder)
            .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var entry in due)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var reply = await StartVm(entry.Uuid).ConfigureAwait(false);
            if (reply.Ok)
            {
                VmHostLog.Autostarted(_logger, entry.Uuid, entry.Name);
            }
            else
            {
                VmHostLog.AutostartFailed(_logger, entry.Uuid, entry.Name, reply.Error);
            }
        }
    }

    /// <summary>The actual state of every VM on this host.</summary>
    public IReadOnlyList<VmReport> Reports() => Entries().Where(e => e.IsVisible).Select(e => e.Report()).ToList();

    public VmReport? Report(Guid uuid) => TryGetEntry(uuid) is { IsVisible: true } entry ? entry.Report() : null;

    /// <summary>Every report published from now on (state changes, starts, exits), in order.</summary>
    public VmReportSubscription SubscribeReports() => _feed.Subscribe();

    /// <summary>Progress of long operations for the panel's tasks; read by one consumer, the panel connection.</summary>
    public System.Threading.Channels.ChannelReader<TaskProgress> TaskProgress => _progress.Reader;

    public Task<HostFacts> ReadHostFactsAsync(CancellationToken cancellationToken = default) => _facts.ReadAsync(cancellationToken);

    /// <summary>Lets go of every VM; none is stopped. Operations in flight are cancelled and awaited first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_operations.Keys).ConfigureAwait(false);
        var detached = 0;
        foreach (var entry in Entries())
        {
            if (entry.TryDetach(out var run))
            {
                await run.Process.DisposeAsync().ConfigureAwait(false);
                await run.Finished.ConfigureAwait(false);
                detached++;
            }
        }

        _feed.Complete();
        _ready.TrySetCanceled();
        VmHostLog.Detached(_logger, detached);
    }

    private async Task<bool> AttachAsync(VmEntry entry, CancellationToken cancellationToken)
    {
        VmProcess? process;
        try
        {
            process = await _supervisor.TryAttachAsync(entry.Uuid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is QmpException or TimeoutException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            // Never kill it: it may be a healthy VM whose monitor is busy. Report it, and refuse to start a second copy.
            var pid = ReadPid(PathsFor(entry.Uuid));
            VmHostLog.AttachFailed(_logger, entry.Uuid, pid, ex);
            entry.SetUnreachable(pid);
            return pid is not null;
        }

        if (process is null)
        {
            return false;
        }

        var run = new VmRun(process, StartTimeOf(process.Paths));
        entry.SetRun(run);
        Watch(entry, run);
        return true;
    }

    /// <summary>Forwards the run's state changes as reports until QEMU exits (reported as Stopped, with why) or the agent lets go.</summary>
    private void Watch(VmEntry entry, VmRun run) => _ = Task.Run(() => WatchAsync(entry, run));

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
                _feed.Publish(entry.Report(change.Reason, change.State, change.QemuStatus));
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
                _feed.Publish(entry.Report(ExitReasons.Of(exit.Kind)));
                if (entry.Definition is null)
                {
                    Forget(entry);
                }
            }
        }
        catch (Exception ex)
        {
            VmHostLog.WatchFailed(_logger, entry.Uuid, ex);
        }
        finally
        {
            run.MarkFinished();
        }
    }

    /// <summary>Runs <paramref name="body"/> as the VM's one operation, or answers at once why it cannot run now.</summary>
    private Task<AgentReply> RunAsync(Guid uuid, string operation, Func<VmEntry, CancellationToken, Task<AgentReply>> body)
    {
        if (_stopping.IsCancellationRequested)
        {
            return Task.FromResult(ShuttingDown(operation));
        }

        var entry = TryGetEntry(uuid);
        if (entry is null || !entry.IsVisible)
        {
            return Task.FromResult(NotFound(uuid));
        }

        if (!entry.TryBegin(operation, out var running))
        {
            return Task.FromResult(running is null ? NotFound(uuid) : Busy(entry, running));
        }

        return Track(GuardAsync(entry, operation, ct => body(entry, ct), forgetOnFailure: false));
    }

    /// <summary>Runs an operation that holds the VM's claim, turns expected failures into replies, then releases the claim.</summary>
    private async Task<AgentReply> GuardAsync(VmEntry entry, string operation, Func<CancellationToken, Task<AgentReply>> body, bool forgetOnFailure)
    {
        AgentReply reply;
        try
        {
            reply = await body(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reply = Failure(entry, operation, ex);
        }

        try
        {
            if (!reply.Ok)
            {
                VmHostLog.OperationRefused(_logger, operation, entry.Uuid, entry.Name, reply.ErrorKind, reply.Error);
                if (forgetOnFailure)
                {
                    Forget(entry);
                }
            }
        }
        finally
        {
            entry.End();
        }

        return reply;
    }

    private Task<T> Track<T>(Task<T> operation)
    {
        _operations.TryAdd(operation, 0);
        _ = operation.ContinueWith(t => _operations.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return operation;
    }

    private AgentReply Failure(VmEntry entry, string operation, Exception exception)
    {
        var what = $"Could not {operation} VM '{entry.Name}'";
        switch (exception)
        {
            case InvalidDefinitionException or ArgumentException:
                return AgentReply.Failure(AgentErrorKind.Invalid, exception.Message);
            case VmStartException or ImageException:
                return AgentReply.Failure(AgentErrorKind.Failed, exception.Message);
            case OperationCanceledException when _stopping.IsCancellationRequested:
                return ShuttingDown(operation);
            case QmpException or TimeoutException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException:
                return AgentReply.Failure(AgentErrorKind.Failed, $"{what}: {exception.Message}");
            default:
                VmHostLog.OperationCrashed(_logger, operation, entry.Uuid, exception);
                return AgentReply.Failure(AgentErrorKind.Failed, $"{what}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static AgentReply ShuttingDown(string operation) =>
        AgentReply.Failure(AgentErrorKind.Failed, $"Could not {operation} the VM: the agent is shutting down.");

    private static AgentReply NotFound(Guid uuid) => AgentReply.Failure(AgentErrorKind.NotFound, $"There is no VM {uuid} on this host.");

    private static AgentReply Busy(VmEntry entry, string running) =>
        AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is busy: {running} is in progress.");

    private static AgentReply NotRunning(VmEntry entry) => AgentReply.Failure(AgentErrorKind.Conflict, $"VM '{entry.Name}' is not running.");

    private VmEntry? TryGetEntry(Guid uuid)
    {
        lock (_entriesLock)
        {
            return _entries.GetValueOrDefault(uuid);
        }
    }

    private List<VmEntry> Entries()
    {
        lock (_entriesLock)
        {
            return [.. _entries.Values];
        }
    }

    private void Forget(VmEntry entry)
    {
        lock (_entriesLock)
        {
            if (_entries.TryGetValue(entry.Uuid, out var current) && current == entry)
            {
                _entries.Remove(entry.Uuid);
            }
        }

        entry.MarkRemoved();
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
