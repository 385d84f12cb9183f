using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Backups;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>Backups of a running real guest (drive-backup) and of a stopped VM (qemu-img), verification, retention and restore.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostBackupTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task BackupOfARunningGuest_RestoredAsANewVm_BootsWithTheMarker_AndDamageFailsVerification()
    {
        var host = await _folders.StartHostAsync();
        var source = _folders.Definition("origin", bootGuest: true);
        Assert.True((await host.Commands.DefineVm(source, AgentTestFolders.NewDisks(source))).Ok);
        Assert.True((await host.Commands.StartVm(source.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(source.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-write saved-by-backup");
            await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN saved-by-backup", Guest);
        }

        var taskId = Guid.NewGuid();
        var backedUp = await host.Commands.BackupVm(new BackupRequest(source.Uuid, KeepLast: 0, TaskId: taskId));
        Assert.True(backedUp.Ok, backedUp.Error);
        Assert.Equal(VmPowerState.Running, backedUp.Vm!.State);
        var backup = Assert.Single((await host.Commands.ListBackups(source.Uuid)).Backups);
        Assert.Equal(source.Disks.Select(d => d.Id), backup.Definition.Disks.Select(d => d.Id));
        Assert.Equal(["definition.json", "disk0.qcow2"], backup.Checksums.Keys.Order());
        Assert.True((await host.Commands.VerifyBackup(source.Uuid, backup.Id)).Ok);

        var restoredOverRunning = await host.Commands.RestoreBackup(new RestoreRequest(source.Uuid, backup.Id, null, null));
        Assert.Equal(AgentErrorKind.Conflict, restoredOverRunning.ErrorKind);

        var misnamed = NewVmFrom(backup.Definition, "restored");
        misnamed = misnamed with { Disks = [.. misnamed.Disks.Select(d => d with { Path = Path.Combine(_folders.Pool, "restored", d.Id + ".qcow2") })] };
        var refusedName = await host.Commands.RestoreBackup(new RestoreRequest(source.Uuid, backup.Id, misnamed, null));
        Assert.Equal(AgentErrorKind.Invalid, refusedName.ErrorKind);
        Assert.Contains($"named '{misnamed.Uuid:D}-disk0.qcow2'", refusedName.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folders.Pool, "restored")), "no folder is made from a VM's name");

        var copy = NewVmFrom(backup.Definition, "restored");
        var restored = await host.Commands.RestoreBackup(new RestoreRequest(source.Uuid, backup.Id, copy, Guid.NewGuid()));
        Assert.True(restored.Ok, restored.Error);
        Assert.True(File.Exists(Path.Combine(_folders.Pool, $"{copy.Uuid:D}-disk0.qcow2")));
        Assert.True((await host.Commands.StartVm(copy.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(copy.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync("WEBVIRT-DISK-MARKER saved-by-backup", Guest);
        }

        // One flipped byte in the middle of the disk image.
        var image = Path.Combine(_folders.Pool, "backups", source.Uuid.ToString(), backup.Id, "disk0.qcow2");
        await using (var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            var value = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(value ^ 0xff));
        }

        var damaged = await host.Commands.VerifyBackup(source.Uuid, backup.Id);
        Assert.Equal(AgentErrorKind.Failed, damaged.ErrorKind);
        Assert.Contains("disk0.qcow2 does not match its SHA-256 checksum", damaged.Error, StringComparison.Ordinal);
        var second = NewVmFrom(backup.Definition, "from-damaged");
        Assert.False((await host.Commands.RestoreBackup(new RestoreRequest(source.Uuid, backup.Id, second, null))).Ok);
        Assert.False(File.Exists(second.Disks[0].Path), "a refused restore leaves no disk behind");
        Assert.Null(host.Report(second.Uuid));
    }

    [Fact]
    public async Task StoppedVm_BackupsKeepTheLastN_RestoreOverTheOriginal()
    {
        var host = await _folders.StartHostAsync();
        var vm = _folders.Definition("keeper");
        Assert.True((await host.Commands.DefineVm(vm, AgentTestFolders.NewDisks(vm))).Ok);

        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.BackupVm(new BackupRequest(vm.Uuid, KeepLast: -1, TaskId: null))).ErrorKind);
        for (var i = 0; i < 3; i++)
        {
            var reply = await host.Commands.BackupVm(new BackupRequest(vm.Uuid, KeepLast: 2, TaskId: null));
            Assert.True(reply.Ok, reply.Error);
        }

        var backups = (await host.Commands.ListBackups(vm.Uuid)).Backups;
        Assert.Equal(2, backups.Count);
        Assert.True(string.CompareOrdinal(backups[0].Id, backups[1].Id) > 0, "newest first");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_folders.Pool, "backups", vm.Uuid.ToString()), ".*"));

        var before = File.GetLastWriteTimeUtc(vm.Disks[0].Path);
        var over = await host.Commands.RestoreBackup(new RestoreRequest(vm.Uuid, backups[1].Id, null, null));
        Assert.True(over.Ok, over.Error);
        Assert.True(File.GetLastWriteTimeUtc(vm.Disks[0].Path) >= before);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.RestoreBackup(new RestoreRequest(vm.Uuid, "../../etc", null, null))).ErrorKind);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.VerifyBackup(vm.Uuid, "20260101T000000000Z")).ErrorKind);
    }

    private VmDefinition NewVmFrom(VmDefinition source, string name) => NewVmFrom(source, name, Guid.NewGuid());

    private VmDefinition NewVmFrom(VmDefinition source, string name, Guid uuid) => source with
    {
        Uuid = uuid,
        Name = name,
        Disks = [.. source.Disks.Select(d => d with { Path = Path.Combine(_folders.Pool, $"{uuid:D}-{d.Id}.qcow2"), Format = DiskFormat.Qcow2 })],
        Nics = [.. source.Nics.Select(n => n with { MacAddress = "52:54:00:cc:dd:" + Random.Shared.Next(16, 255).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) })],
    };
}
