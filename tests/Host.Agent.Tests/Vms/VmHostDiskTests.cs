using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Images;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Disks;
using WebVirt.Shared.Snapshots;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>
/// Disk actions on real QEMU (TCG) booting the test guest, and with qemu-img on stopped VMs. The guest's shell
/// reads and writes the disks itself (dd on /dev/vdX); the lines it prints are built so that the typed command,
/// which the serial console echoes, never matches them.
/// </summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostDiskTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Guest = TimeSpan.FromSeconds(90);
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task RunningVm_GrowsOnline_HotplugsAndUnplugsAVirtioDisk_AndChangesIoLimitsLive()
    {
        var host = await _folders.StartHostAsync();
        var plain = _folders.Definition("live-disks", bootGuest: true);
        var limits = new DiskIoLimits { ReadBytesPerSecond = 50 * MiB, WriteIops = 400 };
        var scsi = new DiskDefinition { Id = "disk2", Path = Path.Combine(_folders.Pool, "live-disks-scsi.qcow2"), Bus = DiskBus.Scsi };
        var definition = plain with { Disks = [plain.Disks[0] with { IoLimits = limits }, scsi] };
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        await using var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10));
        await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        var qmp = ProcessOf(host, definition.Uuid).Qmp;

        // Online grow: block_resize under the throttle filter; the guest sees the new size at once.
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.ResizeDisk(definition.Uuid, "disk0", 8 * MiB)).ErrorKind);
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.ResizeDisk(definition.Uuid, "disk0", 16 * MiB)).ErrorKind);
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.ResizeDisk(definition.Uuid, "nodisk", 64 * MiB)).ErrorKind);
        var grown = await host.Commands.ResizeDisk(definition.Uuid, "disk0", 48 * MiB);
        Assert.True(grown.Ok, grown.Error);
        var mark = serial.Output.Length;
        // The guest learns of it through a config interrupt, a moment later: wait (at most 30 s) for a change.
        await serial.SendLineAsync("i=0; while [ $(cat /sys/block/vda/size) = 32768 ] && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done; echo SZ$(cat /sys/block/vda/size)Z");
        var sectors = await serial.WaitForAsync(@"SZ(\d+)Z", Guest, mark);
        Assert.Equal(48 * MiB / 512, long.Parse(sectors.Groups[1].Value, CultureInfo.InvariantCulture));

        // I/O limits: the group QEMU holds, changed live; lifting them keeps the (empty) group.
        Assert.Equal(limits, await qmp.GetThrottleLimitsAsync(QemuCommandLine.ThrottleGroupId("disk0")));
        var faster = new DiskIoLimits { WriteBytesPerSecond = 10 * MiB, ReadIops = 1000 };
        var changed = await host.Commands.SetDiskIoLimits(definition.Uuid, "disk0", faster);
        Assert.True(changed.Ok, changed.Error);
        Assert.Equal(faster, await qmp.GetThrottleLimitsAsync(QemuCommandLine.ThrottleGroupId("disk0")));
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.SetDiskIoLimits(definition.Uuid, "disk0", new DiskIoLimits { ReadIops = -1 })).ErrorKind);
        Assert.Equal(faster, await qmp.GetThrottleLimitsAsync(QemuCommandLine.ThrottleGroupId("disk0")));

        // Hot-plug a VirtIO disk with limits into a free root port; the guest finds /dev/vdb and uses it.
        var extra = new DiskDefinition { Id = "disk1", Path = Path.Combine(_folders.Pool, "live-disks-disk1.qcow2"), IoLimits = new DiskIoLimits { ReadIops = 300 } };
        var sata = new DiskDefinition { Id = "disk5", Path = Path.Combine(_folders.Pool, "sata.qcow2"), Bus = DiskBus.Sata };
        var refusedSata = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = sata, SizeBytes = 16 * MiB });
        Assert.Equal(AgentErrorKind.Conflict, refusedSata.ErrorKind);
        Assert.Contains("stop the VM to add a SATA disk", refusedSata.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(sata.Path));

        var added = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = extra, SizeBytes = 32 * MiB });
        Assert.True(added.Ok, added.Error);
        Assert.Equal(["disk0", "disk2", "disk1"], StoredDisks(definition.Uuid));
        Assert.Equal(300, (await qmp.GetThrottleLimitsAsync(QemuCommandLine.ThrottleGroupId("disk1"))).ReadIops);
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ ! -b /dev/vdb ]; do sleep 1; done; echo VDB$((1+1))UP SZ$(cat /sys/block/vdb/size)Z");
        sectors = await serial.WaitForAsync(@"VDB2UP SZ(\d+)Z", Guest, mark);
        Assert.Equal(32 * MiB / 512, long.Parse(sectors.Groups[1].Value, CultureInfo.InvariantCulture));
        await serial.SendLineAsync("printf 'MARK%s\\n' plugged | dd of=/dev/vdb bs=512 count=1 conv=sync,fsync 2>/dev/null; dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -n 1");
        await serial.WaitForAsync("MARKplugged", Guest, mark);

        // The disk started without limits cannot get them live; a detach racing another operation is refused.
        var noGroup = await host.Commands.SetDiskIoLimits(definition.Uuid, "disk1", null);
        Assert.True(noGroup.Ok, noGroup.Error);
        var resize = host.Commands.ResizeDisk(definition.Uuid, "disk1", 40 * MiB);
        var racing = await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: true);
        Assert.True((await resize).Ok, (await resize).Error);
        Assert.Equal(AgentErrorKind.Conflict, racing.ErrorKind);
        Assert.Contains("busy", racing.Error, StringComparison.Ordinal);
        Assert.Equal(["disk0", "disk2", "disk1"], StoredDisks(definition.Uuid));

        // Hot-unplug: the guest releases it (DEVICE_DELETED), the image stays unless asked.
        var detached = await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: false);
        Assert.True(detached.Ok, detached.Error);
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ -b /dev/vdb ]; do sleep 1; done; echo VDB$((1+1))GONE");
        await serial.WaitForAsync("VDB2GONE", Guest, mark);
        Assert.Equal(["disk0", "disk2"], StoredDisks(definition.Uuid));
        Assert.True(File.Exists(extra.Path));
        Assert.DoesNotContain(await qmp.QueryBlockAsync(), b => b.Qdev?.Contains("disk1", StringComparison.Ordinal) == true);

        // Once detached the same image can be plugged in again (existing image, screened) and the data is there.
        var again = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = extra with { IoLimits = null } });
        Assert.True(again.Ok, again.Error);
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ ! -b /dev/vdb ]; do sleep 1; done; dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -n 1");
        await serial.WaitForAsync("MARKplugged", Guest, mark);
        var noLiveLimits = await host.Commands.SetDiskIoLimits(definition.Uuid, "disk1", new DiskIoLimits { WriteIops = 10 });
        Assert.Equal(AgentErrorKind.Conflict, noLiveLimits.ErrorKind);
        Assert.Contains("stop the VM to add limits", noLiveLimits.Error, StringComparison.Ordinal);

        // Every root port taken: the next hot-plug fails and is rolled back (no image, no node left), so the same
        // disk goes in once a port is free again.
        DiskDefinition Virtio(string id) => new() { Id = id, Path = Path.Combine(_folders.Pool, $"live-disks-{id}.qcow2") };
        for (var port = 1; port < QemuCommandLine.HotplugPorts; port++)
        {
            var filled = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = Virtio($"disk{port + 3}"), SizeBytes = MiB });
            Assert.True(filled.Ok, filled.Error);
        }

        // Each in a port of its own, so the guest sees them all (vda, vdb and three more).
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ $(ls /sys/block | grep -c ^vd) -lt 5 ]; do sleep 1; done; echo VD$((2+3))SEEN");
        await serial.WaitForAsync("VD5SEEN", Guest, mark);

        var storedBefore = StoredDisks(definition.Uuid);
        var noPort = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = Virtio("disk9"), SizeBytes = MiB });
        Assert.Equal(AgentErrorKind.Failed, noPort.ErrorKind);
        Assert.Contains("No free hot-plug slot", noPort.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Virtio("disk9").Path));
        Assert.Equal(storedBefore, StoredDisks(definition.Uuid));
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk4", deleteImage: true)).Ok);
        var retried = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = Virtio("disk9"), SizeBytes = MiB });
        Assert.True(retried.Ok, retried.Error);
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk9", deleteImage: true)).Ok);
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk5", deleteImage: true)).Ok);
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk6", deleteImage: true)).Ok);

        // SCSI: a second disk on the controller the first one brought, in and out again. The guest has no sd
        // driver, so its disks are counted as SCSI devices of type 0 (disk; the CD-ROM is type 5).
        var scsiExtra = new DiskDefinition { Id = "disk3", Path = Path.Combine(_folders.Pool, "live-disks-scsi2.qcow2"), Bus = DiskBus.Scsi };
        var scsiAdded = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = scsiExtra, SizeBytes = 8 * MiB });
        Assert.True(scsiAdded.Ok, scsiAdded.Error);
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ $(cat /sys/bus/scsi/devices/*:*:*:*/type | grep -c ^0) -lt 2 ]; do sleep 1; done; echo SCSI$((1+1))UP");
        await serial.WaitForAsync("SCSI2UP", Guest, mark);
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk3", deleteImage: true)).Ok);
        mark = serial.Output.Length;
        await serial.SendLineAsync("while [ $(cat /sys/bus/scsi/devices/*:*:*:*/type | grep -c ^0) -gt 1 ]; do sleep 1; done; echo SCSI$((1+1))DOWN");
        await serial.WaitForAsync("SCSI2DOWN", Guest, mark);
        Assert.False(File.Exists(scsiExtra.Path));

        var usage = await host.Commands.GetDiskUsage(definition.Uuid);
        Assert.True(usage.Reply.Ok, usage.Reply.Error);
        Assert.Equal([("disk0", 48 * MiB), ("disk2", 16 * MiB), ("disk1", 40 * MiB)], usage.Disks.Select(d => (d.DiskId, d.VirtualBytes)));
        Assert.All(usage.Disks, d => Assert.True(d.Error is null && d.ActualBytes > 0 && d.Format == DiskFormat.Qcow2, d.Error));
    }

    [Fact]
    public async Task StoppedVm_AddsMovesAndCompressesDisks_AndTheGuestKeepsItsData()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("offline", bootGuest: true);
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var data = new DiskDefinition { Id = "disk1", Path = Path.Combine(_folders.Pool, "offline-data.qcow2") };
        var taskId = Guid.NewGuid();
        var added = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = data, SizeBytes = 32 * MiB, TaskId = taskId });
        Assert.True(added.Ok, added.Error);
        Assert.Equal(["disk0", "disk1"], StoredDisks(definition.Uuid));

        // Used after boot: the guest writes a marker and 8 MiB of zeros, which qcow2 stores as data.
        await BootAsync(host, definition.Uuid, async serial =>
        {
            await serial.SendLineAsync("printf 'MARK%s\\n' offline | dd of=/dev/vdb bs=512 count=1 conv=sync 2>/dev/null; dd if=/dev/zero of=/dev/vdb bs=1M seek=1 count=8 conv=fsync 2>/dev/null; echo Z$((1+1))DONE");
            await serial.WaitForAsync("Z2DONE", Guest);
        });

        // Move into another pool, same format: renamed on one file system, the old file gone.
        var second = Directory.CreateDirectory(Path.Combine(_folders.Root, "fast")).FullName;
        Assert.True((await host.Commands.AddPool(second)).Ok);
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = definition.Uuid, DiskId = "disk1", TargetPool = "/nowhere" })).ErrorKind);
        var moved = await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = definition.Uuid, DiskId = "disk1", TargetPool = second, TaskId = taskId });
        Assert.True(moved.Ok, moved.Error);
        var movedPath = Path.Combine(second, $"{definition.Uuid:D}-disk1.qcow2");
        Assert.Equal(movedPath, DiskOf(definition.Uuid, "disk1").Path);
        Assert.False(File.Exists(data.Path));

        // A copy into the first pool as raw keeps the source; then compress the qcow2 in the second pool.
        var copied = await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = definition.Uuid, DiskId = "disk1", TargetPool = _folders.Pool, TargetFormat = DiskFormat.Raw, DeleteSource = false });
        Assert.True(copied.Ok, copied.Error);
        Assert.Equal((Path.Combine(_folders.Pool, $"{definition.Uuid:D}-disk1.raw"), DiskFormat.Raw), (DiskOf(definition.Uuid, "disk1").Path, DiskOf(definition.Uuid, "disk1").Format));
        Assert.True(File.Exists(movedPath));
        Assert.True((await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = definition.Uuid, DiskId = "disk1", TargetPool = second, TargetFormat = DiskFormat.Qcow2, DeleteSource = true })) is { ErrorKind: AgentErrorKind.Conflict },
            "the target name exists: refused");
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.CompressDisk(definition.Uuid, "disk1", null)).ErrorKind);

        // Back to the qcow2 copy by detaching the raw one and adding the existing image again.
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: true)).Ok);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, $"{definition.Uuid:D}-disk1.raw")));
        Assert.True((await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = data with { Path = movedPath } })).Ok);
        var before = (await new QemuImg().InfoAsync(movedPath, DiskFormat.Qcow2)).ActualSize!.Value;
        var compressed = await host.Commands.CompressDisk(definition.Uuid, "disk1", taskId);
        Assert.True(compressed.Ok, compressed.Error);
        var after = (await new QemuImg().InfoAsync(movedPath, DiskFormat.Qcow2)).ActualSize!.Value;
        output.WriteLine($"compress: {before} -> {after} bytes; {compressed.Vm?.Reason}");
        Assert.True(after < before / 2, $"compressed {before} to {after} bytes");
        Assert.Contains($"{before} bytes on the host before, {after} after", compressed.Vm!.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(second, ".partial")));

        var progress = new List<TaskProgress>();
        while (host.TaskProgress.TryRead(out var item))
        {
            progress.Add(item);
        }

        Assert.All(progress, p => Assert.Equal(taskId, p.TaskId));
        Assert.Contains(progress, p => p.Fraction == 1.0);

        await BootAsync(host, definition.Uuid, async serial =>
        {
            await serial.SendLineAsync("dd if=/dev/vdb bs=512 count=1 2>/dev/null | head -n 1");
            await serial.WaitForAsync("MARKoffline", Guest);
        });

        // Snapshots would be lost by a rewrite or a format change: both refused, nothing changed.
        Assert.True((await host.Commands.TakeSnapshot(new SnapshotRequest(definition.Uuid, "keep", null, false, null))).Ok);
        Assert.Equal(AgentErrorKind.Conflict, (await host.Commands.CompressDisk(definition.Uuid, "disk1", null)).ErrorKind);
        var convert = await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = definition.Uuid, DiskId = "disk1", TargetPool = _folders.Pool, TargetFormat = DiskFormat.Raw });
        Assert.Equal(AgentErrorKind.Conflict, convert.ErrorKind);
        Assert.Contains("snapshots", convert.Error, StringComparison.Ordinal);
        Assert.Equal(movedPath, DiskOf(definition.Uuid, "disk1").Path);

        // Offline grow with qemu-img, then the usage reports it with the snapshot.
        Assert.True((await host.Commands.ResizeDisk(definition.Uuid, "disk1", 64 * MiB)).Ok);
        var usage = (await host.Commands.GetDiskUsage(definition.Uuid)).Disks.Single(d => d.DiskId == "disk1");
        Assert.Equal((64 * MiB, 1, movedPath), (usage.VirtualBytes, usage.SnapshotCount, usage.Path));
    }

    [Fact]
    public async Task BadDiskRequests_AreRefused_AndChangeNothing()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("strict");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var outside = Directory.CreateDirectory(Path.Combine(_folders.Root, "outside")).FullName;
        var poolFilesBefore = Directory.GetFiles(_folders.Pool).Order().ToList();

        async Task Refused(AddDiskRequest request, AgentErrorKind kind, string because)
        {
            var reply = await host.Commands.AddDisk(request);
            Assert.True(reply.ErrorKind == kind, $"{because}: expected {kind}, got {reply.ErrorKind} {reply.Error}");
            output.WriteLine($"{because}: {reply.Error}");
            Assert.Equal(["disk0"], StoredDisks(definition.Uuid));
            Assert.Equal(poolFilesBefore, Directory.GetFiles(_folders.Pool).Order().ToList());
        }

        DiskDefinition Disk(string id, string file, DiskBus bus = DiskBus.Virtio, DiskFormat format = DiskFormat.Qcow2) =>
            new() { Id = id, Path = Path.Combine(_folders.Pool, file), Bus = bus, Format = format };

        // A path outside the pools, or in a sub-folder of another pool, or reached through a link.
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "x.qcow2") with { Path = Path.Combine(outside, "x.qcow2") }, SizeBytes = MiB }, AgentErrorKind.Invalid, "outside");
        Assert.False(File.Exists(Path.Combine(outside, "x.qcow2")));
        var link = Path.Combine(_folders.Pool, "escape");
        Directory.CreateSymbolicLink(link, outside);
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "escape/x.qcow2"), SizeBytes = MiB }, AgentErrorKind.Invalid, "through a link");
        Directory.Delete(link);

        // An import whose qcow2 names /etc/passwd as backing file is screened out before qemu-img opens it.
        var hostile = Path.Combine(_folders.Pool, "hostile.qcow2");
        await new QemuImg().CreateLinkedCloneAsync(hostile, "/etc/passwd", DiskFormat.Raw);
        poolFilesBefore = Directory.GetFiles(_folders.Pool).Order().ToList();
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "imported.qcow2"), ImportFrom = hostile }, AgentErrorKind.Invalid, "backing file");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "hostile.qcow2") }, AgentErrorKind.Invalid, "existing with backing file");

        // A wrong forced format; an import from outside the pools; both a size and an import.
        var rawImage = Path.Combine(_folders.Pool, "plain.raw");
        await File.WriteAllBytesAsync(rawImage, new byte[MiB]);
        poolFilesBefore = Directory.GetFiles(_folders.Pool).Order().ToList();
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "imported.qcow2"), ImportFrom = rawImage, ImportFormat = DiskFormat.Qcow2 }, AgentErrorKind.Invalid, "forced format");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "imported.qcow2"), ImportFrom = "/etc/passwd" }, AgentErrorKind.Invalid, "import outside");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "imported.qcow2"), ImportFrom = rawImage, SizeBytes = MiB }, AgentErrorKind.Invalid, "two sources");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk0", "again.qcow2"), SizeBytes = MiB }, AgentErrorKind.Invalid, "duplicate id");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "plain.raw", format: DiskFormat.Raw), SizeBytes = MiB }, AgentErrorKind.Invalid, "overwrite");
        await Refused(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "in-use.qcow2") with { Path = definition.Disks[0].Path } }, AgentErrorKind.Conflict, "another disk's image");

        // The import that is right works, with the format forced, and reads the image as it is.
        var imported = await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = Disk("disk1", "imported.qcow2"), ImportFrom = rawImage, ImportFormat = DiskFormat.Raw });
        Assert.True(imported.Ok, imported.Error);
        Assert.Equal(MiB, (await new QemuImg().InfoAsync(Path.Combine(_folders.Pool, "imported.qcow2"), DiskFormat.Qcow2)).VirtualSize);
        poolFilesBefore = Directory.GetFiles(_folders.Pool).Order().ToList();

        // Bus limits: q35 has six SATA ports; the VM has a CD-ROM taking one.
        var withCdrom = _folders.Definition("sata", withDisk: false) with { Cdrom = new CdromDefinition() };
        Assert.True((await host.Commands.DefineVm(withCdrom, [])).Ok);
        for (var i = 0; i < DefinitionValidator.Q35SataPorts - 1; i++)
        {
            var sata = await host.Commands.AddDisk(new AddDiskRequest { Uuid = withCdrom.Uuid, Disk = Disk($"sata{i}", $"sata{i}.qcow2", DiskBus.Sata), SizeBytes = MiB });
            Assert.True(sata.Ok, sata.Error);
        }

        var tooMany = await host.Commands.AddDisk(new AddDiskRequest { Uuid = withCdrom.Uuid, Disk = Disk("sata9", "sata9.qcow2", DiskBus.Sata), SizeBytes = MiB });
        Assert.Equal(AgentErrorKind.Invalid, tooMany.ErrorKind);
        Assert.Contains("SATA", tooMany.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, "sata9.qcow2")));

        // Shrink, unknown disk, detach of an unknown disk: refused, the image untouched.
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.ResizeDisk(definition.Uuid, "disk0", MiB)).ErrorKind);
        Assert.Equal(16 * MiB, (await new QemuImg().InfoAsync(definition.Disks[0].Path, DiskFormat.Qcow2)).VirtualSize);
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.DetachDisk(definition.Uuid, "disk9", deleteImage: true)).ErrorKind);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.DetachDisk(Guid.NewGuid(), "disk0", deleteImage: true)).ErrorKind);

        // An image another VM also uses is kept when the disk is detached with deleteImage.
        var shared = _folders.Definition("sharer", withDisk: false);
        Assert.True((await host.Commands.DefineVm(shared, [])).Ok);
        Assert.Equal(AgentErrorKind.Conflict, (await host.Commands.AddDisk(new AddDiskRequest { Uuid = shared.Uuid, Disk = Disk("disk0", "imported.qcow2") })).ErrorKind);
        Assert.True((await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: true)).Ok);
        Assert.False(File.Exists(Path.Combine(_folders.Pool, "imported.qcow2")));
    }

    [Fact]
    public async Task DefineVm_IsoOutsideThePools_IsRefused_AndDisksDirectlyInAnyPoolAreAccepted()
    {
        var host = await _folders.StartHostAsync();
        var outsideIso = _folders.Definition("iso-outside", withDisk: false) with { Cdrom = new CdromDefinition { IsoPath = _folders.Guest.IsoPath } };
        var refused = await host.Commands.DefineVm(outsideIso, []);
        Assert.Equal(AgentErrorKind.Invalid, refused.ErrorKind);
        Assert.Contains("cdrom.isoPath", refused.Error, StringComparison.Ordinal);
        Assert.Null(host.Report(outsideIso.Uuid));

        var second = Directory.CreateDirectory(Path.Combine(_folders.Root, "second")).FullName;
        Assert.True((await host.Commands.AddPool(second)).Ok);
        var direct = _folders.Definition("in-second") with { Disks = [new DiskDefinition { Id = "disk0", Path = Path.Combine(second, "in-second.qcow2") }] };
        Assert.True((await host.Commands.DefineVm(direct, AgentTestFolders.NewDisks(direct))).Ok);
        var nested = _folders.Definition("nested") with { Disks = [new DiskDefinition { Id = "disk0", Path = Path.Combine(second, "sub", "nested.qcow2") }] };
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.DefineVm(nested, AgentTestFolders.NewDisks(nested))).ErrorKind);
        Assert.False(Directory.Exists(Path.Combine(second, "sub")));
    }

    [Fact]
    public async Task Detach_GuestThatNeverReleasesTheDisk_FailsClearly_AndTheVmKeepsIt()
    {
        var host = await _folders.StartHostAsync();
        host.DiskUnplugTimeout = TimeSpan.FromSeconds(5);
        var definition = _folders.Definition("stubborn", bootGuest: true);
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        Assert.True((await host.Commands.StartVm(definition.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        var extra = new DiskDefinition { Id = "disk1", Path = Path.Combine(_folders.Pool, "stubborn-disk1.qcow2") };
        Assert.True((await host.Commands.AddDisk(new AddDiskRequest { Uuid = definition.Uuid, Disk = extra, SizeBytes = MiB })).Ok);

        // A paused guest cannot answer the eject request, as a guest without hot-plug support would not.
        Assert.True((await host.Commands.PauseVm(definition.Uuid)).Ok);
        var detached = await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: true);

        Assert.Equal(AgentErrorKind.Failed, detached.ErrorKind);
        Assert.Contains("did not release device 'disk1'", detached.Error, StringComparison.Ordinal);
        Assert.Equal(["disk0", "disk1"], StoredDisks(definition.Uuid));
        Assert.True(File.Exists(extra.Path));

        // Resumed, the guest releases the disk late, with nobody waiting: detaching again completes the job.
        Assert.True((await host.Commands.ResumeVm(definition.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.SendLineAsync("while [ -e /dev/vdb ]; do sleep 1; done; echo V$((1+1))GONE");
            await serial.WaitForAsync("V2GONE", Boot);
        }

        // Once: QEMU may already have deleted the device (device_del then answers DeviceNotFound) or be about to.
        var retried = await host.Commands.DetachDisk(definition.Uuid, "disk1", deleteImage: true);

        Assert.True(retried.Ok, retried.Error);
        Assert.Equal(["disk0"], StoredDisks(definition.Uuid));
        Assert.False(File.Exists(extra.Path));
    }

    [Fact]
    public async Task Import_ReportsProgressToItsTask_AndTheCopyHoldsTheSourceData()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("importer", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);
        var source = Path.Combine(_folders.Pool, "source.raw");
        var content = new byte[4 * MiB];
        Random.Shared.NextBytes(content);
        await File.WriteAllBytesAsync(source, content);
        var taskId = Guid.NewGuid();

        var imported = await host.Commands.AddDisk(new AddDiskRequest
        {
            Uuid = definition.Uuid,
            Disk = new DiskDefinition { Id = "disk0", Path = Path.Combine(_folders.Pool, "importer-disk0.qcow2") },
            ImportFrom = source,
            TaskId = taskId,
        });

        Assert.True(imported.Ok, imported.Error);
        var progress = new List<TaskProgress>();
        while (host.TaskProgress.TryRead(out var item))
        {
            progress.Add(item);
        }

        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(taskId, p.TaskId));
        Assert.Equal(1.0, progress[^1].Fraction);
        var back = Path.Combine(_folders.Root, "back.raw");
        await new QemuImg().ConvertAsync(Path.Combine(_folders.Pool, "importer-disk0.qcow2"), DiskFormat.Qcow2, back, DiskFormat.Raw, false, null);
        Assert.Equal(content, await File.ReadAllBytesAsync(back));
        Assert.True(File.Exists(source), "the import source stays");
    }

    [Fact]
    public async Task EncryptedAndLinkedDisks_GrowWithTheKey_AndBaseImagesAreNeverLostOrBroken()
    {
        var host = await _folders.StartHostAsync();
        var plain = _folders.Definition("vault");
        var encrypted = plain with { Disks = [plain.Disks[0] with { Encrypted = true }] };
        Assert.True((await host.Commands.ProvideDiskKeys(encrypted.Uuid, new Dictionary<string, string> { ["disk0"] = "a-long-enough-passphrase" })).Ok);
        Assert.True((await host.Commands.DefineVm(encrypted, AgentTestFolders.NewDisks(encrypted))).Ok);

        var grown = await host.Commands.ResizeDisk(encrypted.Uuid, "disk0", 32 * MiB);
        Assert.True(grown.Ok, grown.Error);
        var info = await new QemuImg().InfoAsync(encrypted.Disks[0].Path, DiskFormat.Qcow2);
        Assert.Equal((32 * MiB, true), (info.VirtualSize, info.Encrypted));
        Assert.Contains("encrypted", (await host.Commands.CompressDisk(encrypted.Uuid, "disk0", null)).Error, StringComparison.Ordinal);
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = encrypted.Uuid, DiskId = "disk0", TargetPool = _folders.Pool, TargetFormat = DiskFormat.Raw })).ErrorKind);

        // A base image and a VM whose disk is an overlay on it (as a linked clone's is).
        var baseVm = _folders.Definition("base");
        Assert.True((await host.Commands.DefineVm(baseVm, AgentTestFolders.NewDisks(baseVm))).Ok);
        var overlay = Path.Combine(_folders.Pool, "child-disk0.qcow2");
        await new QemuImg().CreateLinkedCloneAsync(overlay, baseVm.Disks[0].Path, DiskFormat.Qcow2);
        var child = _folders.Definition("child") with { Disks = [new DiskDefinition { Id = "disk0", Path = overlay }] };
        Assert.True((await host.Commands.DefineVm(child, [])).Ok);

        var moveBase = await host.Commands.MoveDisk(new MoveDiskRequest { Uuid = baseVm.Uuid, DiskId = "disk0", TargetPool = _folders.Pool });
        Assert.Equal(AgentErrorKind.Conflict, moveBase.ErrorKind);
        Assert.Contains("backing file", moveBase.Error, StringComparison.Ordinal);

        var compressed = await host.Commands.CompressDisk(child.Uuid, "disk0", null);
        Assert.True(compressed.Ok, compressed.Error);
        Assert.Equal(baseVm.Disks[0].Path, (await new QemuImg().InfoAsync(overlay, DiskFormat.Qcow2)).BackingFile);

        // Detaching the base's disk with deleteImage keeps the image: the child is built on it.
        var detached = await host.Commands.DetachDisk(baseVm.Uuid, "disk0", deleteImage: true);
        Assert.True(detached.Ok, detached.Error);
        Assert.Contains("image kept", detached.Vm!.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(baseVm.Disks[0].Path));
        Assert.Empty(Stored(baseVm.Uuid).Disks);
    }

    /// <summary>The definition as the agent stored it on disk (what a restarted agent would load).</summary>
    private VmDefinition Stored(Guid uuid) =>
        new VmDefinitionStore(_folders.Supervisor, NullLogger.Instance).LoadAll().Single(d => d.Uuid == uuid);

    private List<string> StoredDisks(Guid uuid) => [.. Stored(uuid).Disks.Select(d => d.Id)];

    private DiskDefinition DiskOf(Guid uuid, string diskId) => Stored(uuid).Disks.Single(d => d.Id == diskId);

    private static Hypervisor.Processes.VmProcess ProcessOf(TestAgent host, Guid uuid) =>
        host.RunningProcess(uuid) ?? throw new InvalidOperationException($"VM {uuid} is not running.");

    private async Task BootAsync(TestAgent host, Guid uuid, Func<SerialConsole, Task> inGuest)
    {
        var started = await host.Commands.StartVm(uuid);
        Assert.True(started.Ok, started.Error);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await inGuest(serial);
        }

        Assert.True((await host.Commands.StopVm(uuid)).Ok);
    }
}
