using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebVirt.Hypervisor.Acceleration;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Interop;
using WebVirt.Hypervisor.PortForwards;
using WebVirt.Hypervisor.Qmp;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// Starts QEMU processes and finds running ones again. QEMU runs in its own session, outside the caller's
/// process tree once the caller exits, so VMs outlive the agent; a new supervisor re-attaches through the
/// pidfile and the QMP socket in each VM's run folder.
/// </summary>
public sealed class VmSupervisor(IOptions<HypervisorOptions> options, ILoggerFactory? loggerFactory = null)
{
    private readonly HypervisorOptions _options = options.Value;
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<VmSupervisor>();
    /// <summary>How deep the agent follows linked clones' backing files when it shares them with QEMU.</summary>
    private const int MaxBackingChainDepth = 16;

    private readonly CgroupPlacement _cgroups = new();
    private readonly QemuFileAccess _files = new(options.Value, new VmIdentities(Path.GetFullPath(options.Value.DataDirectory), options.Value.FirstVmUid, options.Value.VmUidCount));
    private readonly Lazy<AccelerationProbeResult> _acceleration = new(() => Probe(options.Value));

    /// <summary>The accelerator VMs on this host get, and why.</summary>
    public AccelerationProbeResult Acceleration => _acceleration.Value;

    public string RunRoot => _options.RunDirectory ?? DefaultRunRoot();

    public string DataRoot => Path.GetFullPath(_options.DataDirectory);

    public VmPaths PathsFor(Guid uuid) => VmPaths.Create(uuid, RunRoot, DataRoot);

    /// <summary>
    /// What keeps this host's VMs from being isolated from one another and from the host as the design intends (each
    /// QEMU under its own uid, in its own cgroup), in words for the host's page; empty when nothing does.
    /// </summary>
    public IReadOnlyList<string> IsolationGaps()
    {
        var gaps = new List<string>();
        if (_files.IdentityGap() is { } identity)
        {
            gaps.Add(identity);
        }

        if (_cgroups.Limitation is { } cgroup)
        {
            gaps.Add($"VMs are not isolated by cgroup: {cgroup}. Their memory, CPU and process limits are the agent's, shared.");
        }

        return gaps;
    }

    /// <summary>What this host's settings refuse in a definition that is valid anywhere: port forwards outside its policy, tap devices it does not offer.</summary>
    public IReadOnlyList<DefinitionError> CheckHostPolicy(VmDefinition definition) =>
        [.. PortForwardPolicy.Check(definition, _options.PortForwards), .. TapDevicePolicy.Check(definition, _options.AllowedTapDevices)];

    /// <summary>Claims the run folder for this process until the claim is disposed; throws when another live instance holds it.</summary>
    public RunRootClaim ClaimRunRoot() => RunRootClaim.Take(RunRoot, DataRoot);

    /// <summary>Whether QEMU runs for this VM, judged by its pidfile and /proc alone (no QMP).</summary>
    public bool IsRunning(Guid uuid)
    {
        var paths = PathsFor(uuid);
        return RunFolder.ReadPid(paths) is { } pid && Native.IsAlive(pid) && RunFolder.IsQemuOf(paths, pid);
    }

    /// <summary>Starts the VM and returns once QEMU has finished initialising and answers on QMP.</summary>
    public Task<VmProcess> StartAsync(VmDefinition definition, CancellationToken cancellationToken = default) =>
        StartAsync(definition, new Dictionary<string, string>(), cancellationToken);

    /// <summary>
    /// Starts the VM; <paramref name="diskKeys"/> holds the key of each encrypted disk by disk id. Each key is written to
    /// a 0600 file in the 0700 run folder for QEMU to read at start, and deleted once QEMU answers on QMP.
    /// </summary>
    public async Task<VmProcess> StartAsync(VmDefinition definition, IReadOnlyDictionary<string, string> diskKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(diskKeys);
        if (definition.Disks.FirstOrDefault(d => d.Encrypted && !diskKeys.ContainsKey(d.Id)) is { } locked)
        {
            throw new VmStartException($"VM '{definition.Name}' was not started: the key of encrypted disk '{locked.Id}' was not provided.");
        }

        DefinitionValidator.EnsureValid(definition);
        if (CheckHostPolicy(definition) is { Count: > 0 } refused)
        {
            throw new VmStartException($"VM '{definition.Name}' was not started: {new InvalidDefinitionException(refused).Message}");
        }

        var paths = PathsFor(definition.Uuid);
        if (IsRunning(definition.Uuid))
        {
            throw new VmStartException($"VM '{definition.Name}' is already running (pid {RunFolder.ReadPid(paths)}).");
        }

        var account = _files.For(paths);
        var accelerator = Acceleration.Accelerator;
        var arguments = QemuCommandLine.Build(definition, paths, accelerator, _options);
        PrepareFolders(definition, paths, account);
        var keyFiles = WriteDiskKeys(definition, paths, diskKeys, account);

        var argv = new List<string>();
        if (account is not null)
        {
            argv.AddRange(DropPrivileges(account));
        }

        argv.Add(_options.QemuBinary);
        argv.AddRange(arguments);
        File.AppendAllText(paths.QemuLog, $"--- {DateTimeOffset.UtcNow:O} starting {definition.Name} ({accelerator})\n");

        int pid;
        try
        {
            pid = Native.Spawn(argv, paths.QemuLog, ChildEnvironment.Variables);
        }
        catch (InvalidOperationException ex)
        {
            throw new VmStartException($"VM '{definition.Name}' could not be started: {ex.Message}", ex);
        }

        _cgroups.TryPlace(definition.Uuid, pid, out var placement);
        QmpClient qmp;
        try
        {
            qmp = await WaitForQmpAsync(definition, paths, pid, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // QEMU read the keys while it created its objects, before its monitor answered.
            // A failed start may have removed the run folder already.
            foreach (var file in keyFiles.Where(File.Exists))
            {
                File.Delete(file);
            }
        }

        var status = await qmp.QueryStatusAsync(cancellationToken).ConfigureAwait(false);
        var logger = CreateLogger();
        VmProcessLog.Started(logger, definition.Uuid, pid, accelerator.ToString(), placement);
        return new VmProcess(paths, pid, qmp, status.Status, isOurChild: true, attached: false, logger);
    }

    /// <summary>
    /// Finds this VM's QEMU if it runs (started by an earlier agent) and takes over its QMP connection.
    /// Null when it does not run; a stale run folder is cleaned up.
    /// </summary>
    public async Task<VmProcess?> TryAttachAsync(Guid uuid, CancellationToken cancellationToken = default)
    {
        var paths = PathsFor(uuid);
        if (!Directory.Exists(paths.RunDirectory))
        {
            return null;
        }

        var pid = RunFolder.ReadPid(paths);
        if (pid is null || !Native.IsAlive(pid.Value) || !RunFolder.IsQemuOf(paths, pid.Value))
        {
            VmProcessLog.StaleRunFolder(_logger, uuid, pid);
            RunFolder.Clean(paths);
            return null;
        }

        var logger = CreateLogger();
        var qmp = await QmpClient.ConnectAsync(paths.QmpSocket, TimeSpan.FromSeconds(10), logger, cancellationToken).ConfigureAwait(false);
        var status = await qmp.QueryStatusAsync(cancellationToken).ConfigureAwait(false);
        VmProcessLog.Attached(logger, uuid, pid.Value);
        return new VmProcess(paths, pid.Value, qmp, status.Status, isOurChild: false, attached: true, logger);
    }

    /// <summary>The VMs whose run folders exist on this host: candidates for <see cref="TryAttachAsync"/>.</summary>
    public IReadOnlyList<Guid> FindRunFolders() =>
        Directory.Exists(RunRoot)
            ? Directory.EnumerateDirectories(RunRoot).Select(Path.GetFileName).Select(n => Guid.TryParse(n, out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty).ToList()
            : [];

    private async Task<QmpClient> WaitForQmpAsync(VmDefinition definition, VmPaths paths, int pid, CancellationToken cancellationToken)
    {
        // QEMU answers on QMP only once its main loop runs, i.e. after the whole machine was created;
        // until then the process may still exit with an error, which its log explains.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        try
        {
            while (true)
            {
                if (Native.TryReap(pid) is { } exit)
                {
                    RunFolder.Clean(paths);
                    var why = QemuLog.Tail(paths.QemuLog, 3);
                    var how = exit.Signal is { } signal ? $"was killed by {SignalNames.Describe(signal)}" : $"exited with code {exit.ExitCode}";
                    throw new VmStartException($"VM '{definition.Name}' failed to start: QEMU {how}. {why}".Trim());
                }

                if (File.Exists(paths.QmpSocket))
                {
                    try
                    {
                        return await QmpClient.ConnectAsync(paths.QmpSocket, TimeSpan.FromSeconds(2), CreateLogger(), timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is QmpException or TimeoutException or IOException or System.Net.Sockets.SocketException)
                    {
                        // Not listening yet, or still initialising: try again.
                    }
                }

                await Task.Delay(10, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Native.SendSignal(pid, Native.SigKill);
            await ReapAsync(pid).ConfigureAwait(false);
            RunFolder.Clean(paths);
            cancellationToken.ThrowIfCancellationRequested();
            throw new VmStartException($"VM '{definition.Name}' did not finish starting within {_options.StartTimeout.TotalSeconds:0} s; QEMU was killed. {QemuLog.Tail(paths.QemuLog, 3)}".Trim());
        }
    }

    /// <summary>Collects a killed child so that it does not linger as a zombie.</summary>
    private static async Task ReapAsync(int pid)
    {
        for (var i = 0; i < 100 && Native.TryReap(pid) is null; i++)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives a file the agent created to the account this VM's QEMU runs as (when the agent runs as root), only
    /// that account, so that the running QEMU can write it, e.g. the target of a backup job or a plugged disk.
    /// </summary>
    public void HandToQemu(Guid uuid, string path)
    {
        if (_files.For(PathsFor(uuid)) is { } account)
        {
            QemuFileAccess.GiveTo(path, account);
        }
    }

    /// <inheritdoc cref="QemuFileAccess.ImageCheckAccount"/>
    public ImageCheckAccount? ImageCheckAccount() => _files.ImageCheckAccount();

    /// <inheritdoc cref="QemuFileAccess.ShareWithQemu"/>
    public void ShareWithQemu(string path) => _files.ShareWithQemu(path);

    /// <inheritdoc cref="QemuFileAccess.LetGroupPass"/>
    public void LetQemuGroupPass(string folder) => _files.LetGroupPass(folder);

    private static List<string> WriteDiskKeys(VmDefinition definition, VmPaths paths, IReadOnlyDictionary<string, string> diskKeys, QemuUserAccount? account)
    {
        var files = new List<string>();
        foreach (var disk in definition.Disks.Where(d => d.Encrypted))
        {
            var file = paths.DiskKeyFile(disk.Id);
            using (var stream = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(diskKeys[disk.Id]));
            }

            files.Add(file);
            if (account is not null)
            {
                QemuFileAccess.GiveTo(file, account);
            }
        }

        return files;
    }

    private static IEnumerable<string> DropPrivileges(QemuUserAccount account)
    {
        // setpriv (util-linux) drops to the QEMU account before exec, so QEMU itself never needs -runas
        // and the seccomp sandbox can deny privilege changes outright.
        yield return "setpriv";
        yield return $"--reuid={account.Uid}";
        yield return $"--regid={account.Gid}";
        yield return account.SupplementaryGroups.Count > 0 ? $"--groups={string.Join(',', account.SupplementaryGroups)}" : "--clear-groups";
        yield return "--no-new-privs";
        yield return "--";
    }

    private static void PrepareFolders(VmDefinition definition, VmPaths paths, QemuUserAccount? account)
    {
        RunFolder.Clean(paths);
        Directory.CreateDirectory(Path.GetDirectoryName(paths.RunDirectory)!);
        Directory.CreateDirectory(paths.RunDirectory, RunFolder.OwnerOnly);

        // The data folder stays the agent's: QEMU may only pass through it to the files it writes itself
        // (serial log, firmware variables), so a compromised QEMU cannot rewrite the VM's definition.
        Directory.CreateDirectory(paths.DataDirectory);
        File.SetUnixFileMode(paths.DataDirectory, RunFolder.OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        if (!File.Exists(paths.SerialLog))
        {
            File.WriteAllBytes(paths.SerialLog, []);
        }

        if (account is null)
        {
            return;
        }

        // QEMU runs as the VM's own account: it owns its run folder, its log and the disks it writes, as libvirt
        // arranges, and nobody else may open them. Disk paths are trusted here: the agent only passes paths
        // inside its pools.
        var owned = new[] { paths.RunDirectory, paths.SerialLog, paths.OvmfVars }
            .Concat(definition.Disks.Where(d => !d.ReadOnly).Select(d => d.Path));
        foreach (var path in owned.Where(p => File.Exists(p) || Directory.Exists(p)))
        {
            QemuFileAccess.GiveTo(path, account);
        }

        // What it only reads (read-only disks, the templates under linked clones) is shared by every VM's QEMU
        // through the group alone: readable, never writable, by them.
        var readOnly = definition.Disks.Where(d => d.ReadOnly).Select(d => d.Path)
            .Concat(definition.Disks.Where(d => d.Format == DiskFormat.Qcow2).SelectMany(d => BackingFileReader.Chain(d.Path, MaxBackingChainDepth)));
        foreach (var path in readOnly.Concat(definition.Cdrom?.IsoPath is { } iso ? [iso] : []).Where(File.Exists).Distinct(StringComparer.Ordinal))
        {
            QemuFileAccess.ShareReadOnly(path, account);
        }
    }

    private ILogger CreateLogger() => (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<VmProcess>();

    private static string DefaultRunRoot()
    {
        if (Native.EffectiveUserId == 0)
        {
            return "/run/webvirt";
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime) ? $"/tmp/webvirt-{Native.EffectiveUserId}" : Path.Combine(runtime, "webvirt");
    }

    private static AccelerationProbeResult Probe(HypervisorOptions options) =>
        options.ForceAccelerator is { } forced
            ? new AccelerationProbeResult(forced, $"{forced} forced by configuration (Hypervisor:ForceAccelerator)")
            : KvmProbe.Probe();
}
