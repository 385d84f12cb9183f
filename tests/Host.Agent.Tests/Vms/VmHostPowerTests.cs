using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>Power operations on real QEMU (TCG). Only the ACPI test waits for the guest to boot.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostPowerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task StartPauseResumeShutdown_ReportEveryChangeInOrder()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("acpi", withDisk: false, bootGuest: true);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        using var reports = host.SubscribeReports();

        var started = await host.Commands.StartVm(definition.Uuid);
        Assert.True(started.Ok, started.Error);
        Assert.Equal(VmPowerState.Running, started.Vm!.State);
        Assert.NotNull(started.Vm.Pid);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        var paused = await host.Commands.PauseVm(definition.Uuid);
        var pausedAgain = await host.Commands.PauseVm(definition.Uuid);
        var resumed = await host.Commands.ResumeVm(definition.Uuid);
        var screen = await host.Commands.Screendump(definition.Uuid);
        var shutdown = await host.Commands.ShutdownVm(definition.Uuid, 60);

        Assert.Equal(VmPowerState.Paused, paused.Vm!.State);
        Assert.Equal(AgentErrorKind.Conflict, pausedAgain.ErrorKind);
        Assert.Equal("VM 'acpi' is already paused.", pausedAgain.Error);
        Assert.Equal(VmPowerState.Running, resumed.Vm!.State);
        Assert.True(screen.Result.Ok, screen.Result.Error);
        Assert.False(PngImage.Decode(screen.Png!).IsBlank, "the screendump shows the guest's console");
        Assert.True(shutdown.Ok, shutdown.Error);
        Assert.Equal(VmPowerState.Stopped, shutdown.Vm!.State);
        Assert.Equal("guest-shutdown", shutdown.Vm.Reason);
        Assert.Contains("guest powered off", shutdown.Vm.LastExit, StringComparison.Ordinal);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));

        var seen = new List<VmReport>();
        while (reports.Reader.TryRead(out var report))
        {
            seen.Add(report);
        }

        output.WriteLine(string.Join("\n", seen.Select(r => $"{r.State} {r.QemuStatus} {r.Reason}")));
        Assert.Equal(
            [
                (VmPowerState.Starting, "starting"),
                (VmPowerState.Running, "started"),
                (VmPowerState.Paused, "paused"),
                (VmPowerState.Running, "resumed"),
                (VmPowerState.ShuttingDown, "shutdown (guest-shutdown)"),
                (VmPowerState.Stopped, "guest-shutdown"),
            ],
            seen.Select(r => (r.State, r.Reason!)));
        Assert.All(seen, r => Assert.Equal("acpi", r.Name));
        Assert.Contains(TestGuest.PowerOffLine, await File.ReadAllTextAsync(host.PathsFor(definition.Uuid).SerialLog));
    }

    [Fact]
    public async Task StartStop_EveryReport_IsNumberedInTheOrderItWasMade()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("numbered", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        using var reports = host.SubscribeReports();

        var started = await host.Commands.StartVm(definition.Uuid);
        Assert.True(started.Ok, started.Error);
        var duringStart = Drain(reports);
        var stopped = await host.Commands.StopVm(definition.Uuid);
        Assert.True(stopped.Ok, stopped.Error);
        var duringStop = Drain(reports);
        var queried = host.Report(definition.Uuid)!;

        output.WriteLine(string.Join("\n", duringStart.Concat(duringStop).Select(r => $"{r.Sequence} {r.State} {r.Reason}")));
        output.WriteLine($"start reply {started.Vm!.Sequence}, stop reply {stopped.Vm!.Sequence}, query {queried.Sequence}");
        var pushed = duringStart.Concat(duringStop).Select(r => r.Sequence).ToList();
        Assert.Equal(VmPowerState.Starting, duringStart[0].State);
        Assert.All(pushed, n => Assert.True(n > 0));
        Assert.Equal(pushed.Order(), pushed);
        Assert.Equal(pushed.Count, pushed.Distinct().Count());

        // A reply's report is made after the "starting" push and before anything the stop pushed.
        Assert.True(started.Vm.Sequence > duringStart[0].Sequence);
        Assert.True(stopped.Vm.Sequence > started.Vm.Sequence);
        Assert.True(stopped.Vm.Sequence > duringStart.Max(r => r.Sequence), "the stop's reply is newer than every report before the stop");
        Assert.Contains(duringStart, r => r.Sequence == started.Vm.Sequence && r.Reason == "started"); // one observation, pushed and replied
        Assert.True(queried.Sequence > Math.Max(stopped.Vm.Sequence, pushed.Max()));
        Assert.Equal(VmPowerState.Stopped, duringStop.MaxBy(r => r.Sequence)!.State);
    }

    [Fact]
    public async Task StopAndUndefine_RefuseWhatTheStateForbids()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("hard");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var started = await host.Commands.StartVm(definition.Uuid);
        Assert.True(started.Ok, started.Error);

        var startAgain = await host.Commands.StartVm(definition.Uuid);
        var undefineRunning = await host.Commands.UndefineVm(definition.Uuid, removeDisks: true);
        var redefineRunning = await host.Commands.DefineVm(definition with { MemoryMiB = 128 }, []);
        var stop = await host.Commands.StopVm(definition.Uuid);
        var stopAgain = await host.Commands.StopVm(definition.Uuid);

        Assert.Equal(AgentErrorKind.Conflict, startAgain.ErrorKind);
        Assert.Equal("VM 'hard' is already running.", startAgain.Error);
        Assert.Equal(AgentErrorKind.Conflict, undefineRunning.ErrorKind);
        Assert.Contains("is running", undefineRunning.Error, StringComparison.Ordinal);
        Assert.Equal(AgentErrorKind.Conflict, redefineRunning.ErrorKind);
        Assert.True(stop.Ok, stop.Error);
        Assert.Equal(VmPowerState.Stopped, stop.Vm!.State);
        Assert.Equal("stopped", stop.Vm.Reason);
        Assert.Contains("hard power-off", stop.Vm.LastExit, StringComparison.Ordinal);
        Assert.Equal(AgentErrorKind.Conflict, stopAgain.ErrorKind);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
        Assert.True(File.Exists(definition.Disks[0].Path), "a refused undefine deleted nothing");

        var undefine = await host.Commands.UndefineVm(definition.Uuid, removeDisks: true);

        Assert.True(undefine.Ok, undefine.Error);
        Assert.False(File.Exists(definition.Disks[0].Path));
        Assert.False(Directory.Exists(host.PathsFor(definition.Uuid).DataDirectory));
        Assert.Null(host.Report(definition.Uuid));
    }

    [Fact]
    public async Task Shutdown_GuestThatCannotAct_IsStoppedAfterTheTimeout()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("stubborn", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        Assert.True((await host.Commands.ResetVm(definition.Uuid)).Ok);

        // Paused, the guest cannot act on the power button.
        Assert.True((await host.Commands.PauseVm(definition.Uuid)).Ok);
        var shutdown = await host.Commands.ShutdownVm(definition.Uuid, 1);

        Assert.True(shutdown.Ok, shutdown.Error);
        Assert.Equal(VmPowerState.Stopped, shutdown.Vm!.State);
        Assert.Equal("shutdown-timeout", shutdown.Vm.Reason);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
    }

    [Fact]
    public async Task Stop_DuringAShutdownTheGuestIgnores_EndsItAtOnce()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("impatient", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        Assert.True((await host.Commands.PauseVm(definition.Uuid)).Ok);
        var shutdown = host.Commands.ShutdownVm(definition.Uuid, 300);
        await WaitUntilBusyAsync(host, definition.Uuid);

        var stop = await host.Commands.StopVm(definition.Uuid);

        Assert.True(stop.Ok, stop.Error);
        Assert.Equal(VmPowerState.Stopped, stop.Vm!.State);
        var shutdownReply = await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(shutdownReply.Ok, shutdownReply.Error);
        Assert.NotEqual("guest-shutdown", shutdownReply.Vm!.Reason);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
    }

    /// <summary>Waits until another operation holds the VM: a probe operation is then refused as busy.</summary>
    private static async Task WaitUntilBusyAsync(TestAgent host, Guid uuid)
    {
        for (var i = 0; i < 200; i++)
        {
            var probe = await host.Commands.PauseVm(uuid);
            if (probe.ErrorKind == AgentErrorKind.Conflict && probe.Error!.Contains("busy", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("the shutdown never took hold of the VM");
    }

    [Fact]
    public async Task Kill_OfQemuBehindTheAgentsBack_IsReportedAsStopped()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("victim", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        var pid = (await host.Commands.StartVm(definition.Uuid)).Vm!.Pid!.Value;
        using var reports = host.SubscribeReports();

        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var report = await reports.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(VmPowerState.Stopped, report.State);
        Assert.Equal("killed", report.Reason);
        Assert.Contains("SIGKILL", report.LastExit, StringComparison.Ordinal);
        Assert.Equal(VmPowerState.Stopped, host.Report(definition.Uuid)!.State);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok, "the VM starts again");
    }

    [Fact]
    public async Task TwentyConcurrentConflictingOperations_EndConsistentWithoutOrphans()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("storm");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var random = new Random(20);
        var plan = Enumerable.Range(0, 20).Select(i => (Kind: i is 9 or 17 ? "undefine" : i % 2 == 0 ? "start" : "stop", Delay: random.Next(0, 1500))).ToList();

        var replies = await Task.WhenAll(plan.Select(step => Task.Run(async () =>
        {
            await Task.Delay(step.Delay);
            var reply = step.Kind switch
            {
                "start" => await host.Commands.StartVm(definition.Uuid),
                "stop" => await host.Commands.StopVm(definition.Uuid),
                _ => await host.Commands.UndefineVm(definition.Uuid, removeDisks: false),
            };
            return (step.Kind, step.Delay, Reply: reply);
        })));

        foreach (var (kind, delay, reply) in replies.OrderBy(r => r.Delay))
        {
            output.WriteLine($"{delay,5} ms {kind,-9} {(reply.Ok ? "ok" : $"{reply.ErrorKind}: {reply.Error}")}");
            Assert.True(reply.Ok || reply.ErrorKind is AgentErrorKind.Conflict or AgentErrorKind.NotFound, $"{kind}: {reply.ErrorKind} {reply.Error}");
            Assert.True(reply.Ok || !string.IsNullOrWhiteSpace(reply.Error));
        }

        Assert.Contains(replies, r => r.Reply.Ok);
        var report = host.Report(definition.Uuid);
        var pids = AgentTestFolders.QemuPidsOf(definition.Uuid);
        if (report is null || report.State == VmPowerState.Stopped)
        {
            Assert.Empty(pids);
        }
        else
        {
            Assert.Equal(VmPowerState.Running, report.State);
            Assert.Equal([report.Pid!.Value], pids);
            Assert.True((await host.Commands.StopVm(definition.Uuid)).Ok);
        }

        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
    }

    private static List<VmReport> Drain(VmReportSubscription reports)
    {
        var seen = new List<VmReport>();
        while (reports.Reader.TryRead(out var report))
        {
            seen.Add(report);
        }

        return seen;
    }
}
