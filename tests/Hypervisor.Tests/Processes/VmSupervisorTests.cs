using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>
/// The supervisor against real QEMU (TCG) booting the real test guest. Assertions are on what the guest
/// prints on its serial port and on what QMP reports, never on timing.
/// </summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmSupervisorTests : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private GuestVmFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new GuestVmFactory();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Start_TestGuestIso_BootsToReadyAndShowsAScreen()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("boot"));
        await using var serial = await SerialConsole.ConnectAsync(vm.Paths.SerialSocket, TimeSpan.FromSeconds(10));

        await serial.WaitForAsync(TestGuest.ReadyLine, Boot);

        var status = await vm.Qmp.QueryStatusAsync();
        Assert.Equal("running", status.Status);
        Assert.Equal(VmPowerState.Running, vm.State);
        Assert.True(File.Exists(vm.Paths.VncSocket), "the VNC unix socket exists");

        var screen = PngImage.Decode(await vm.ScreendumpPngAsync());
        Assert.True(screen.Width >= 640 && screen.Height >= 400, $"screen is {screen.Width}x{screen.Height}");
        Assert.False(screen.IsBlank, "the screendump shows the guest's console, not a blank screen");
        Assert.Contains(TestGuest.ReadyLine, await File.ReadAllTextAsync(vm.Paths.SerialLog));
    }

    [Fact]
    public async Task Start_AsRoot_RunsQemuSandboxedAsTheUnprivilegedUser()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("sandbox", withDisk: false));

        var status = File.ReadAllLines($"/proc/{vm.Pid}/status").ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 1)..].Trim());

        Assert.Equal("2", status["Seccomp"]);
        Assert.Equal("1", status["NoNewPrivs"]);
        if (Environment.UserName == "root")
        {
            var account = QemuUserAccount.Find(_factory.Options.QemuUser!)
                ?? throw new InvalidOperationException("The 'webvirt-qemu' user is missing: ./test.sh creates it.");
            var uid = int.Parse(status["Uid"].Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(uid, _factory.Options.FirstVmUid, _factory.Options.FirstVmUid + _factory.Options.VmUidCount - 1);
            Assert.StartsWith($"{account.Gid}\t", status["Gid"], StringComparison.Ordinal);
            Assert.Equal("0000000000000000", status["CapEff"]);
        }

        Assert.Equal(Directory.GetParent(vm.Paths.RunDirectory)!.FullName, _factory.Options.RunDirectory);
        Assert.Equal(RunFolderMode, File.GetUnixFileMode(vm.Paths.RunDirectory));

        // QEMU may pass through its data folder to its own files, but not list or change it.
        Assert.Equal(RunFolderMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(vm.Paths.DataDirectory));
    }

    [Fact]
    public async Task Start_AgentHoldsSecretsAndAnInheritableDescriptor_QemuGetsNeither()
    {
        // What a unit's EnvironmentFile or the panel's first start puts in the agent's environment, and a pipe
        // opened without close-on-exec, as one inherited from whoever started the agent would be.
        const string Secret = "wvh_must-not-reach-qemu";
        Environment.SetEnvironmentVariable("Agent__Token", Secret);
        var leaked = InheritablePipe.Open();
        try
        {
            var supervisor = _factory.CreateSupervisor();
            var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("environ", withDisk: false));

            var environment = File.ReadAllText($"/proc/{vm.Pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["PATH=" + ChildEnvironment.SearchPath, "LC_ALL=C"], environment);
            var descriptors = Directory.GetFiles($"/proc/{vm.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();
            Assert.NotEmpty(descriptors);
            Assert.DoesNotContain(leaked.Target, descriptors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Agent__Token", null);
            leaked.Dispose();
        }
    }

    [Fact]
    public async Task Start_TwoVms_RunAsTwoUidsAndNeitherCanReachTheOthersFiles()
    {
        Assert.True(Environment.UserName == "root", "per-VM identities need the tests to run as root (./test.sh does)");
        var supervisor = _factory.CreateSupervisor();
        var a = await _factory.StartAsync(supervisor, await _factory.DefineAsync("tenant-a"));
        var definitionB = await _factory.DefineAsync("tenant-b");
        var b = await _factory.StartAsync(supervisor, definitionB);
        var (uidA, gid) = UidAndGidOf(a.Pid);
        var (uidB, _) = UidAndGidOf(b.Pid);
        Assert.NotEqual(uidA, uidB);
        var diskB = definitionB.Disks[0].Path;

        // A helper with A's identity, as a QEMU of A taken over by its guest would be.
        Assert.NotEqual(0, await RunAsAsync(uidA, gid, "ls", b.Paths.RunDirectory));
        Assert.NotEqual(0, await RunAsAsync(uidA, gid, "head", "-c", "1", diskB));
        Assert.NotEqual(0, await RunAsAsync(uidA, gid, "head", "-c", "1", b.Paths.SerialLog));

        // The same probes as B itself succeed, so the refusals above are about identity, not the probes.
        Assert.Equal(0, await RunAsAsync(uidB, gid, "ls", b.Paths.RunDirectory));
        Assert.Equal(0, await RunAsAsync(uidB, gid, "head", "-c", "1", diskB));

        // A restarted VM keeps its identity.
        await b.StopAsync();
        var again = await _factory.StartAsync(supervisor, definitionB);
        Assert.Equal(uidB, UidAndGidOf(again.Pid).Uid);
    }

    private static (int Uid, int Gid) UidAndGidOf(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        int First(string key) => int.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (First("Uid:"), First("Gid:"));
    }

    private static async Task<int> RunAsAsync(int uid, int gid, params string[] command)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("setpriv",
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Fact]
    public async Task Shutdown_GuestActsOnAcpi_PowersOffGracefully()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("acpi", withDisk: false));
        await using var serial = await SerialConsole.ConnectAsync(vm.Paths.SerialSocket, TimeSpan.FromSeconds(10));
        await serial.WaitForAsync(TestGuest.ReadyLine, Boot);

        var outcome = await vm.ShutdownAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ShutdownOutcome.Graceful, outcome);
        var exit = await vm.Exited;
        Assert.Equal(VmExitKind.GuestShutdown, exit.Kind);
        Assert.Contains("guest-shutdown", exit.Description, StringComparison.Ordinal);
        Assert.Contains(TestGuest.PowerOffLine, await File.ReadAllTextAsync(vm.Paths.SerialLog));
        Assert.False(Directory.Exists(vm.Paths.RunDirectory), "the run folder is removed once QEMU is gone");
        Assert.False(supervisor.IsRunning(vm.Uuid));
    }

    [Fact]
    public async Task Shutdown_GuestIgnoresAcpi_IsForcedAfterTheTimeout()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("stubborn", withDisk: false));

        // Paused, the guest cannot act on the power button: the timeout must end in a hard stop.
        await vm.PauseAsync();
        var outcome = await vm.ShutdownAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(ShutdownOutcome.Forced, outcome);
        Assert.Equal(VmExitKind.Stopped, (await vm.Exited).Kind);
    }

    [Fact]
    public async Task Stop_RunningVm_EndsQemuAtOnce()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("hardstop", withDisk: false));

        var exit = await vm.StopAsync();

        Assert.Equal(VmExitKind.Stopped, exit.Kind);
        Assert.Contains("hard power-off", exit.Description, StringComparison.Ordinal);
        Assert.False(Interop.Native.IsAlive(vm.Pid));
    }

    [Fact]
    public async Task PauseAndResume_ReportStateChanges()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("pause", withDisk: false));

        await vm.PauseAsync();
        Assert.Equal("paused", (await vm.Qmp.QueryStatusAsync()).Status);
        Assert.Equal(VmPowerState.Paused, (await NextStateAsync(vm)).State);

        await vm.ResumeAsync();
        Assert.Equal("running", (await vm.Qmp.QueryStatusAsync()).Status);
        Assert.Equal(VmPowerState.Running, (await NextStateAsync(vm)).State);
    }

    [Fact]
    public async Task Reset_RebootsTheGuest()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("reset", withDisk: false));
        await using var serial = await SerialConsole.ConnectAsync(vm.Paths.SerialSocket, TimeSpan.FromSeconds(10));
        await serial.WaitForAsync(TestGuest.ReadyLine, Boot);

        await vm.ResetAsync();

        await serial.WaitForAsync($"(?s){TestGuest.ReadyLine}.*{TestGuest.ReadyLine}", Boot);
        Assert.Equal(VmPowerState.Running, vm.State);
    }

    [Fact]
    public async Task TryAttach_AfterTheSupervisorIsGone_ControlsTheSameQemu()
    {
        var definition = await _factory.DefineAsync("reattach", withDisk: false);
        var first = await _factory.CreateSupervisor().StartAsync(definition);
        var pid = first.Pid;
        await first.DisposeAsync();

        Assert.True(Interop.Native.ProcessExists(pid), "letting go of a VM does not stop it");
        var second = await _factory.CreateSupervisor().TryAttachAsync(definition.Uuid);
        Assert.NotNull(second);
        _factory.Track(second);

        Assert.Equal(pid, second.Pid);
        Assert.True(second.Attached);
        Assert.Equal("running", (await second.Qmp.QueryStatusAsync()).Status);
        await second.PauseAsync();
        Assert.Equal("paused", (await second.Qmp.QueryStatusAsync()).Status);
        Assert.Equal(VmExitKind.Stopped, (await second.StopAsync()).Kind);
        Assert.False(Interop.Native.IsAlive(pid));
    }

    [Fact]
    public async Task FindRunFolders_ListsRunningVms()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("listed", withDisk: false));

        Assert.Contains(vm.Uuid, _factory.CreateSupervisor().FindRunFolders());
    }

    [Fact]
    public async Task Kill9_OfQemu_IsReportedWithItsSignal()
    {
        var supervisor = _factory.CreateSupervisor();
        var vm = await _factory.StartAsync(supervisor, await _factory.DefineAsync("killed", withDisk: false));

        Interop.Native.SendSignal(vm.Pid, Interop.Native.SigKill);

        var exit = await vm.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(VmExitKind.Killed, exit.Kind);
        Assert.Equal(9, exit.Signal);
        Assert.Contains("SIGKILL", exit.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill9_OfAnAttachedQemu_IsReportedAsKilled()
    {
        var definition = await _factory.DefineAsync("killattached", withDisk: false);
        var first = await _factory.CreateSupervisor().StartAsync(definition);
        await first.DisposeAsync();
        var vm = await _factory.CreateSupervisor().TryAttachAsync(definition.Uuid);
        Assert.NotNull(vm);
        _factory.Track(vm);

        Interop.Native.SendSignal(vm.Pid, Interop.Native.SigKill);

        var exit = await vm.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(VmExitKind.Killed, exit.Kind);
        Assert.Contains("without a shutdown", exit.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guest_WritesMarkerToVirtioDisk_ImageChecksClean()
    {
        var supervisor = _factory.CreateSupervisor();
        var definition = await _factory.DefineAsync("disk");
        var vm = await _factory.StartAsync(supervisor, definition);
        await using (var serial = await SerialConsole.ConnectAsync(vm.Paths.SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            var marker = $"m{Guid.NewGuid():N}"[..12];

            await serial.SendLineAsync($"webvirt-disk-write {marker}");
            await serial.WaitForAsync($"WEBVIRT-DISK-WRITTEN {marker}", Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync($"WEBVIRT-DISK-MARKER {marker}", Boot);
        }

        Assert.Equal(ShutdownOutcome.Graceful, await vm.ShutdownAsync(TimeSpan.FromSeconds(60)));

        var check = await new QemuImg().CheckAsync(definition.Disks[0].Path, DiskFormat.Qcow2, CancellationToken.None);
        Assert.True(check.IsClean, $"qemu-img check: {check}");
    }

    [Fact]
    public async Task TwoVms_RunSideBySide()
    {
        var supervisor = _factory.CreateSupervisor();
        var a = await _factory.StartAsync(supervisor, await _factory.DefineAsync("side-a", withDisk: false));
        var b = await _factory.StartAsync(supervisor, await _factory.DefineAsync("side-b", withDisk: false));
        await using var serialA = await SerialConsole.ConnectAsync(a.Paths.SerialSocket, TimeSpan.FromSeconds(10));
        await using var serialB = await SerialConsole.ConnectAsync(b.Paths.SerialSocket, TimeSpan.FromSeconds(10));

        await Task.WhenAll(serialA.WaitForAsync(TestGuest.ReadyLine, Boot), serialB.WaitForAsync(TestGuest.ReadyLine, Boot));

        Assert.NotEqual(a.Pid, b.Pid);
        Assert.Equal("running", (await a.Qmp.QueryStatusAsync()).Status);
        Assert.Equal("running", (await b.Qmp.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task Start_Twice_IsRefused()
    {
        var supervisor = _factory.CreateSupervisor();
        var definition = await _factory.DefineAsync("twice", withDisk: false);
        await _factory.StartAsync(supervisor, definition);

        var error = await Assert.ThrowsAsync<VmStartException>(() => supervisor.StartAsync(definition));

        Assert.Contains("already running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingDisk_FailsWithQemusReason()
    {
        var definition = (await _factory.DefineAsync("nodisk", withDisk: false)) with
        {
            Disks = [new DiskDefinition { Id = "disk0", Path = Path.Combine(_factory.Folder, "missing.qcow2") }],
        };

        var error = await Assert.ThrowsAsync<VmStartException>(() => _factory.CreateSupervisor().StartAsync(definition));

        Assert.Contains("missing.qcow2", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
        Assert.False(_factory.CreateSupervisor().IsRunning(definition.Uuid));
    }

    private const UnixFileMode RunFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static async Task<VmStateChange> NextStateAsync(VmProcess vm)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await vm.StateChanges.ReadAsync(timeout.Token);
    }
}
