using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Clones;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>Templates and clones with real qemu-img, and a linked clone booting the real guest.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostCloneTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task LinkedCloneOfATemplate_BootsWithItsData_AndTheTemplateCannotBeDeletedMeanwhile()
    {
        var host = await _folders.StartHostAsync();
        var template = _folders.Definition("golden", bootGuest: true);
        Assert.True((await host.Commands.DefineVm(template, AgentTestFolders.NewDisks(template))).Ok);
        Assert.True((await host.Commands.StartVm(template.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(template.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-write golden-data");
            await serial.WaitForAsync("WEBVIRT-DISK-WRITTEN golden-data", Guest);
        }

        var notStopped = await host.Commands.ConvertToTemplate(template.Uuid);
        Assert.Equal(AgentErrorKind.Conflict, notStopped.ErrorKind);
        var linkedFromVm = await host.Commands.CloneVm(new CloneRequest(template.Uuid, CloneOf(template, "early"), Linked: true, TaskId: null));
        Assert.Equal(AgentErrorKind.Conflict, linkedFromVm.ErrorKind);
        Assert.True((await host.Commands.StopVm(template.Uuid)).Ok);
        var notTemplate = await host.Commands.CloneVm(new CloneRequest(template.Uuid, CloneOf(template, "early"), Linked: true, TaskId: null));
        Assert.Equal(AgentErrorKind.Invalid, notTemplate.ErrorKind);
        Assert.Contains("convert VM 'golden' to a template first", notTemplate.Error, StringComparison.Ordinal);

        Assert.True((await host.Commands.ConvertToTemplate(template.Uuid)).Ok);
        var started = await host.Commands.StartVm(template.Uuid);
        Assert.Equal(AgentErrorKind.Conflict, started.ErrorKind);
        Assert.Contains("is a template", started.Error, StringComparison.Ordinal);

        var sameMac = CloneOf(template, "copycat") with { Nics = template.Nics };
        Assert.Equal(AgentErrorKind.Invalid, (await host.Commands.CloneVm(new CloneRequest(template.Uuid, sameMac, true, null))).ErrorKind);
        Assert.False(File.Exists(sameMac.Disks[0].Path), "a refused clone creates nothing");

        // The clone's name never becomes a file or folder name: images are <uuid>-<disk id>, directly in a pool.
        var namedUuid = Guid.NewGuid();
        var inNamedFolder = CloneOf(template, "folder", namedUuid, d => Path.Combine(_folders.Pool, "folder", $"{namedUuid:D}-{d.Id}.qcow2"));
        var byName = CloneOf(template, "byname", namedUuid, d => Path.Combine(_folders.Pool, "byname-" + d.Id + ".qcow2"));
        var refusedFolder = await host.Commands.CloneVm(new CloneRequest(template.Uuid, inNamedFolder, Linked: true, TaskId: null));
        var refusedName = await host.Commands.CloneVm(new CloneRequest(template.Uuid, byName, Linked: false, TaskId: null));
        Assert.Equal(AgentErrorKind.Invalid, refusedFolder.ErrorKind);
        Assert.Contains("not directly in a pool", refusedFolder.Error, StringComparison.Ordinal);
        Assert.Equal(AgentErrorKind.Invalid, refusedName.ErrorKind);
        Assert.Contains($"named '{namedUuid:D}-disk0.qcow2'", refusedName.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folders.Pool, "folder")));
        Assert.False(File.Exists(byName.Disks[0].Path));

        var clone = CloneOf(template, "linked");
        var cloned = await host.Commands.CloneVm(new CloneRequest(template.Uuid, clone, Linked: true, TaskId: Guid.NewGuid()));
        Assert.True(cloned.Ok, cloned.Error);
        Assert.Equal(clone.Uuid, cloned.Vm!.Uuid);
        Assert.Equal(template.Disks[0].Path, BackingFileReader.Read(clone.Disks[0].Path));
        Assert.True(File.Exists(clone.Disks[0].Path));

        Assert.True((await host.Commands.StartVm(clone.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(host.PathsFor(clone.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
            await serial.SendLineAsync("webvirt-disk-read");
            await serial.WaitForAsync("WEBVIRT-DISK-MARKER golden-data", Guest);
        }

        var refused = await host.Commands.UndefineVm(template.Uuid, removeDisks: true);
        Assert.Equal(AgentErrorKind.Conflict, refused.ErrorKind);
        Assert.Contains("linked clones (linked)", refused.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(template.Disks[0].Path));

        var full = CloneOf(template, "full");
        Assert.True((await host.Commands.CloneVm(new CloneRequest(template.Uuid, full, Linked: false, TaskId: null))).Ok);
        Assert.Null(BackingFileReader.Read(full.Disks[0].Path));
        Assert.True(File.Exists(Path.Combine(_folders.Pool, $"{full.Uuid:D}-disk0.qcow2")));
        Assert.DoesNotContain(Directory.EnumerateDirectories(_folders.Pool), d => Path.GetFileName(d) is "full" or "linked");

        Assert.True((await host.Commands.StopVm(clone.Uuid)).Ok);
        Assert.True((await host.Commands.UndefineVm(clone.Uuid, removeDisks: true)).Ok);
        Assert.True((await host.Commands.UndefineVm(template.Uuid, removeDisks: true)).Ok);
        Assert.False(File.Exists(template.Disks[0].Path));
    }

    private VmDefinition CloneOf(VmDefinition source, string name)
    {
        var uuid = Guid.NewGuid();
        return CloneOf(source, name, uuid, d => Path.Combine(_folders.Pool, $"{uuid:D}-{d.Id}.qcow2"));
    }

    private static VmDefinition CloneOf(VmDefinition source, string name, Guid uuid, Func<DiskDefinition, string> path) => source with
    {
        Uuid = uuid,
        Name = name,
        IsTemplate = false,
        Disks = [.. source.Disks.Select(d => d with { Path = path(d), Format = DiskFormat.Qcow2 })],
        Nics = [.. source.Nics.Select(n => n with { MacAddress = "52:54:00:aa:bb:" + Random.Shared.Next(16, 255).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) })],
    };
}
