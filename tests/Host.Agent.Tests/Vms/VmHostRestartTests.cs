using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>An agent restart (a new VM host over the same folders) must find running VMs without disturbing them.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task Restart_WhileAVmRuns_NewHostAttachesToTheSameQemu()
    {
        var first = await _folders.StartHostAsync();
        var definition = _folders.Definition("survivor", withDisk: false);
        Assert.True((await first.Commands.DefineVm(definition, [])).Ok);
        var pid = (await first.Commands.StartVm(definition.Uuid)).Vm!.Pid!.Value;

        await first.DisposeAsync();
        Assert.Equal([pid], AgentTestFolders.QemuPidsOf(definition.Uuid));
        var second = await _folders.StartHostAsync();

        var report = second.Report(definition.Uuid);
        Assert.NotNull(report);
        Assert.Equal(VmPowerState.Running, report.State);
        Assert.Equal(pid, report.Pid);
        Assert.Equal("running", report.QemuStatus);
        Assert.True((await second.Commands.PauseVm(definition.Uuid)).Ok);
        Assert.Equal(VmPowerState.Paused, second.Report(definition.Uuid)!.State);
        var stop = await second.Commands.StopVm(definition.Uuid);
        Assert.True(stop.Ok, stop.Error);
        Assert.Equal(VmPowerState.Stopped, stop.Vm!.State);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
    }

    [Fact]
    public async Task Start_WhileAnotherInstanceHoldsTheRunFolder_IsRefusedAndLeavesItsVmsAlone()
    {
        var first = await _folders.StartHostAsync();
        var definition = _folders.Definition("owned", withDisk: false);
        Assert.True((await first.Commands.DefineVm(definition, [])).Ok);
        var pid = (await first.Commands.StartVm(definition.Uuid)).Vm!.Pid!.Value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _folders.CreateHost().InitializeAsync());

        Assert.Contains($"The run folder {_folders.Hypervisor.RunDirectory} is in use by another WebVirt agent or panel (pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hypervisor:RunDirectory", error.Message, StringComparison.Ordinal);
        Assert.Equal([pid], AgentTestFolders.QemuPidsOf(definition.Uuid));
        Assert.Equal(VmPowerState.Running, first.Report(definition.Uuid)!.State);
        Assert.True((await first.Commands.PauseVm(definition.Uuid)).Ok, "the first instance still drives its VM");

        // Once the first lets go, the folder is free again.
        await first.DisposeAsync();
        var second = await _folders.StartHostAsync();
        Assert.Equal(pid, second.Report(definition.Uuid)!.Pid);
        Assert.True((await second.Commands.StopVm(definition.Uuid)).Ok);
    }

    [Fact]
    public async Task Restart_NewHostsReports_AreNumberedAboveTheOldHostsLast()
    {
        var first = await _folders.StartHostAsync();
        var definition = _folders.Definition("renumbered", withDisk: false);
        Assert.True((await first.Commands.DefineVm(definition, [])).Ok);
        Assert.True((await first.Commands.StartVm(definition.Uuid)).Ok);
        var last = first.Report(definition.Uuid)!.Sequence;
        await first.DisposeAsync();

        var second = await _folders.StartHostAsync();
        var report = second.Report(definition.Uuid)!;

        Assert.True(report.Sequence > last, $"the new agent's {report.Sequence} is above the old agent's {last}");
        Assert.True((await second.Commands.StopVm(definition.Uuid)).Vm!.Sequence > report.Sequence);
    }

    [Fact]
    public async Task Restart_RunningVmWithoutADefinition_IsReportedAndLeftRunning()
    {
        var first = await _folders.StartHostAsync();
        var definition = _folders.Definition("stray", withDisk: false);
        Assert.True((await first.Commands.DefineVm(definition, [])).Ok);
        var pid = (await first.Commands.StartVm(definition.Uuid)).Vm!.Pid!.Value;
        await first.DisposeAsync();
        File.Delete(first.PathsFor(definition.Uuid).DefinitionFile);

        var second = await _folders.StartHostAsync();

        var report = second.Report(definition.Uuid);
        Assert.NotNull(report);
        Assert.Equal(VmPowerState.Running, report.State);
        Assert.Equal(pid, report.Pid);
        Assert.Equal([pid], AgentTestFolders.QemuPidsOf(definition.Uuid));
        Assert.Equal(Shared.Agents.AgentErrorKind.NotFound, (await second.Commands.StartVm(definition.Uuid)).ErrorKind);
        Assert.True((await second.Commands.StopVm(definition.Uuid)).Ok);
        Assert.Null(second.Report(definition.Uuid));
    }

    [Fact]
    public async Task Autostart_FreshHost_StartsOnlyTheVmsMarkedAutostart()
    {
        var first = await _folders.StartHostAsync();
        var auto = _folders.Definition("auto", withDisk: false, autostart: true);
        var manual = _folders.Definition("manual", withDisk: false);
        Assert.True((await first.Commands.DefineVm(auto, [])).Ok);
        Assert.True((await first.Commands.DefineVm(manual, [])).Ok);
        await first.DisposeAsync();

        var second = await _folders.StartHostAsync();
        await second.AutostartAsync();

        Assert.Equal(VmPowerState.Running, second.Report(auto.Uuid)!.State);
        Assert.Single(AgentTestFolders.QemuPidsOf(auto.Uuid));
        Assert.Equal(VmPowerState.Stopped, second.Report(manual.Uuid)!.State);
        Assert.Empty(AgentTestFolders.QemuPidsOf(manual.Uuid));
    }

    [Fact]
    public async Task SetStartOptions_WhileRunning_IsStored_AndAutostartFollowsTheStartOrder()
    {
        var first = await _folders.StartHostAsync();
        var late = _folders.Definition("late", withDisk: false);
        var early = _folders.Definition("early", withDisk: false);
        Assert.True((await first.Commands.DefineVm(late, [])).Ok);
        Assert.True((await first.Commands.DefineVm(early, [])).Ok);
        Assert.True((await first.Commands.StartVm(late.Uuid)).Ok);

        var whileRunning = await first.Commands.SetStartOptions(late.Uuid, autostart: true, startOrder: 2);
        Assert.True(whileRunning.Ok, whileRunning.Error);
        Assert.True((await first.Commands.SetStartOptions(early.Uuid, autostart: true, startOrder: 1)).Ok);
        Assert.Equal(Shared.Agents.AgentErrorKind.Invalid, (await first.Commands.SetStartOptions(early.Uuid, autostart: true, startOrder: -1)).ErrorKind);
        Assert.Equal(Shared.Agents.AgentErrorKind.NotFound, (await first.Commands.SetStartOptions(Guid.NewGuid(), autostart: true, startOrder: 1)).ErrorKind);
        Assert.True((await first.Commands.StopVm(late.Uuid)).Ok);
        await first.DisposeAsync();

        var second = await _folders.StartHostAsync();
        await second.AutostartAsync();

        var lateReport = second.Report(late.Uuid)!;
        var earlyReport = second.Report(early.Uuid)!;
        Assert.Equal(VmPowerState.Running, lateReport.State);
        Assert.Equal(VmPowerState.Running, earlyReport.State);
        Assert.True(earlyReport.StartedAt < lateReport.StartedAt, $"early started {earlyReport.StartedAt:O}, late {lateReport.StartedAt:O}");
        Assert.True((await second.Commands.StopVm(late.Uuid)).Ok);
        Assert.True((await second.Commands.StopVm(early.Uuid)).Ok);
    }
}
