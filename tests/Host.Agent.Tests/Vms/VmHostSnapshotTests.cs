using System.Globalization;
using System.Text.RegularExpressions;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>Snapshots on real QEMU (TCG) booting the test guest, and with qemu-img on stopped VMs.</summary>
[Collection(RealQemuCollection.Name)]
public sealed partial class VmHostSnapshotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(60);
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task RevertWithMemory_ReturnsDiskAndRunningGuestToTheSnapshot()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("snap", bootGuest: true);
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        await using var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10));
        await serial.WaitForAsync(TestGuest.ReadyLine, Boot);

        await serial.SendLineAsync("webvirt-disk-write alpha");
        await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN alpha", Guest);
        await serial.SendLineAsync("webvirt-counter &");
        await serial.WaitForAsync("WEBVIRT-COUNTER 3", Guest);

        var beforeSnapshot = LastCounter(serial.Output);
        var taskId = Guid.NewGuid();
        var taken = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "before-beta", "alpha on disk", WithMemory: true, TaskId: taskId));
        Assert.True(taken.Ok, taken.Error);
        var progress = new List<TaskProgress>();
        while (host.TaskProgress.TryRead(out var item))
        {
            progress.Add(item);
        }

        Assert.All(progress, p => Assert.Equal(taskId, p.TaskId));
        Assert.Equal(1.0, progress[^1].Fraction);
        Assert.Equal(VmPowerState.Running, taken.Vm!.State);
        var atSnapshot = LastCounter(serial.Output);

        await serial.WaitForAsync($"WEBVIRT-COUNTER {atSnapshot + 3}", Guest);
        await serial.SendLineAsync("webvirt-disk-write beta");
        await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN beta", Guest);
        var beforeRevert = LastCounter(serial.Output);
        await serial.WaitForAsync($"WEBVIRT-COUNTER {beforeRevert + 1}", Guest);

        var mark = serial.Output.Length;
        var reverted = await host.Commands.RevertSnapshot(definition.Uuid, "before-beta", null);
        Assert.True(reverted.Ok, reverted.Error);

        // The counter goes back: the first value at or below the snapshot's continues from where it was then, not from 1 (a reboot).
        var back = await serial.WaitForAsync($"WEBVIRT-COUNTER ({string.Join('|', Enumerable.Range(1, atSnapshot + 1))})\\r?\\n", Guest, mark);
        var resumedAt = int.Parse(back.Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"counter: {beforeSnapshot} before the snapshot, {atSnapshot} after it, {beforeRevert}+ before the revert, {resumedAt} after it");
        Assert.InRange(resumedAt, beforeSnapshot + 1, atSnapshot + 1);

        var afterCounter = serial.Output.Length;
        await serial.SendLineAsync("kill %1");
        await serial.SendLineAsync("webvirt-disk-read");
        await serial.WaitForAsync("WEBVIRT-DISK-MARKER (alpha|beta|none)", Guest, afterCounter);
        Assert.Matches("WEBVIRT-DISK-MARKER alpha", serial.Output[afterCounter..]);

        var list = await host.Commands.ListSnapshots(definition.Uuid);
        var snapshot = Assert.Single(list.Snapshots);
        Assert.Equal(("before-beta", "alpha on disk", true, "disk0"), (snapshot.Name, snapshot.Description, snapshot.WithMemory, snapshot.VmStateDisk));
        Assert.Equal("before-beta", list.Current);
    }

    [Fact]
    public async Task Tree_TakesRevertsAndDeletes_OnlineAndOffline_AndRefusesBadInput()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("tree");
        var disk = definition.Disks[0].Path;
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);

        // Stopped: qemu-img; memory cannot be saved.
        var withMemory = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "ram", null, WithMemory: true, TaskId: null));
        Assert.Equal(AgentErrorKind.Conflict, withMemory.ErrorKind);
        Assert.True((await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "offline", "stopped", false, null))).Ok);

        foreach (var bad in new[] { "", "../x", "-c", "a b", "12345", new string('x', 41), "name;rm" })
        {
            var refused = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, bad, null, false, null));
            Assert.Equal(AgentErrorKind.Invalid, refused.ErrorKind);
        }

        var duplicate = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "offline", null, false, null));
        Assert.Equal(AgentErrorKind.Invalid, duplicate.ErrorKind);
        Assert.Equal("VM 'tree' already has a snapshot named 'offline'.", duplicate.Error);

        // Running: disk-only snapshots through a QMP transaction, a child of the current one.
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        var first = host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "online", null, false, null));
        var racing = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "racing", null, false, null));
        Assert.True((await first).Ok, (await first).Error);
        Assert.Equal(AgentErrorKind.Conflict, racing.ErrorKind);
        Assert.Contains("busy", racing.Error, StringComparison.Ordinal);

        var noMemory = await host.Commands.RevertSnapshot(definition.Uuid, "offline", null);
        Assert.Equal(AgentErrorKind.Conflict, noMemory.ErrorKind);
        var missing = await host.Commands.RevertSnapshot(definition.Uuid, "nope", null);
        Assert.Equal(AgentErrorKind.Invalid, missing.ErrorKind);

        var list = await host.Commands.ListSnapshots(definition.Uuid);
        Assert.Equal([("offline", null), ("online", "offline")], list.Snapshots.Select(s => (s.Name, s.Parent)));
        Assert.Equal("online", list.Current);

        Assert.True((await host.Commands.StopVm(definition.Uuid)).Ok);
        Assert.Equal(["offline", "online"], (await new QemuImg().ListSnapshotsAsync(disk)).Select(s => s.Name).Order());
        Assert.True((await host.Commands.RevertSnapshot(definition.Uuid, "offline", null)).Ok);
        Assert.True((await host.Commands.DeleteSnapshot(definition.Uuid, "offline", null)).Ok);

        list = await host.Commands.ListSnapshots(definition.Uuid);
        Assert.Equal([("online", null)], list.Snapshots.Select(s => (s.Name, s.Parent)));
        Assert.Null(list.Current);
        Assert.Equal(["online"], (await new QemuImg().ListSnapshotsAsync(disk)).Select(s => s.Name));
    }

    [Fact]
    public async Task UefiVm_SnapshotWithMemory_IncludesTheVariablesStore()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("uefi") with { Firmware = Firmware.Ovmf };
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var started = await host.Commands.StartVm(definition.Uuid);
        Assert.True(started.Ok, started.Error);

        var taken = await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "uefi-1", null, WithMemory: true, TaskId: null));
        Assert.True(taken.Ok, taken.Error);
        Assert.True((await host.Commands.RevertSnapshot(definition.Uuid, "uefi-1", null)).Ok);
        Assert.True((await host.Commands.StopVm(definition.Uuid)).Ok);

        var vars = await new QemuImg().ListSnapshotsAsync(host.PathsFor(definition.Uuid).OvmfVars);
        Assert.Equal("uefi-1", Assert.Single(vars).Name);
        var disk = Assert.Single(await new QemuImg().ListSnapshotsAsync(definition.Disks[0].Path));
        Assert.True(disk.VmStateSize > 0, "the first disk holds the RAM");
        Assert.Equal(["disk0", "ovmfvars"], Assert.Single((await host.Commands.ListSnapshots(definition.Uuid)).Snapshots).Devices);
    }

    private static int LastCounter(string output) =>
        CounterLine().Matches(output).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Last();

    [GeneratedRegex(@"WEBVIRT-COUNTER (\d+)\r?\n")]
    private static partial Regex CounterLine();
}
