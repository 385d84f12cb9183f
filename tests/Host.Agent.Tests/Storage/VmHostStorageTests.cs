using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Host.Agent.Vms;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>Pools, pool files and the CD-ROM drive through the agent's operations; the last test boots the real guest.</summary>
[Collection(RealQemuCollection.Name)]
public sealed class VmHostStorageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);
    private AgentTestFolders _folders = null!;
    private TestAgent _host = null!;

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        _host = await _folders.StartHostAsync();
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Theory]
    [InlineData("relative/pool", "not an absolute path")]
    [InlineData("/proc", "lies in /proc")]
    [InlineData("/sys/kernel", "lies in /sys")]
    [InlineData("/dev/shm", "lies in /dev")]
    [InlineData("/", "root folder")]
    [InlineData("{root}/isos/../isos", "not normalised")]
    [InlineData("{root}/isos/", "not normalised")]
    [InlineData("{root}/missing", "not an existing folder")]
    [InlineData("{pool}/inner", "overlaps the pool")]
    [InlineData("{root}", "contains")]
    public async Task AddPool_WithABadPath_IsRefusedAndRemembersNothing(string template, string reason)
    {
        Directory.CreateDirectory(Path.Combine(_folders.Root, "isos"));
        Directory.CreateDirectory(Path.Combine(_folders.Pool, "inner"));
        var path = template.Replace("{root}", _folders.Root, StringComparison.Ordinal).Replace("{pool}", _folders.Pool, StringComparison.Ordinal);

        var reply = await _host.Commands.AddPool(path);

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains(reason, reply.Error);
        Assert.Single((await _host.Commands.ListPools()).Pools);
    }

    [Fact]
    public async Task AddPool_ThenRestart_ThePoolIsListedWithItsSpace_AndRemovalKeepsItsFiles()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folders.Root, "isos")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "keep.iso"), "x");

        Assert.True((await _host.Commands.AddPool(folder)).Ok);
        Assert.Equal(AgentErrorKind.Invalid, (await _host.Commands.AddPool(folder)).ErrorKind);
        await _host.DisposeAsync();
        await using var restarted = await _folders.StartHostAsync();
        var pools = (await restarted.Commands.ListPools()).Pools;

        Assert.Equal([_folders.Pool, folder], pools.Select(p => p.Path));
        Assert.True(pools[0].IsDefault);
        Assert.All(pools, p => Assert.True(p.TotalBytes > 0 && p.FreeBytes > 0 && p.FreeBytes <= p.TotalBytes && p.Error is null));

        Assert.Equal(AgentErrorKind.Conflict, (await restarted.Commands.RemovePool(_folders.Pool)).ErrorKind);
        Assert.True((await restarted.Commands.RemovePool(folder)).Ok);
        Assert.Single((await restarted.Commands.ListPools()).Pools);
        Assert.True(File.Exists(Path.Combine(folder, "keep.iso")));
    }

    [Fact]
    public async Task AnIsoInAVmsCdrom_CannotBeDeleted_NorItsPoolRemoved_UntilTheVmLetsGo()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folders.Root, "isos")).FullName;
        Assert.True((await _host.Commands.AddPool(folder)).Ok);
        var iso = Path.Combine(folder, "guest.iso");
        File.Copy(_folders.Guest.IsoPath, iso);
        var definition = _folders.Definition("cd", withDisk: false) with { Cdrom = new CdromDefinition { IsoPath = iso, BootOrder = 1 } };
        Assert.True((await _host.Commands.DefineVm(definition, [])).Ok);

        var delete = await _host.Commands.DeletePoolFile(folder, "guest.iso");
        var remove = await _host.Commands.RemovePool(folder);

        Assert.Equal(AgentErrorKind.Conflict, delete.ErrorKind);
        Assert.Contains("VM 'cd'", delete.Error);
        Assert.Equal(AgentErrorKind.Conflict, remove.ErrorKind);
        Assert.True(File.Exists(iso));

        Assert.True((await _host.Commands.ChangeCdrom(definition.Uuid, null)).Ok);
        Assert.Null(_host.Report(definition.Uuid)!.Pid);
        Assert.True((await _host.Commands.DeletePoolFile(folder, "guest.iso")).Ok);
        Assert.False(File.Exists(iso));
        Assert.True((await _host.Commands.RemovePool(folder)).Ok);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("{pool}/../outside.iso")]
    [InlineData("{pool}/notes.txt")]
    [InlineData("{pool}/missing.iso")]
    public async Task ChangeCdrom_ToAFileThatIsNotAnIsoInAPool_IsRefused(string template)
    {
        await File.WriteAllTextAsync(Path.Combine(_folders.Pool, "notes.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(_folders.Root, "outside.iso"), "x");
        var definition = _folders.Definition("cd", withDisk: false) with { Cdrom = new CdromDefinition() };
        Assert.True((await _host.Commands.DefineVm(definition, [])).Ok);

        var reply = await _host.Commands.ChangeCdrom(definition.Uuid, template.Replace("{pool}", _folders.Pool, StringComparison.Ordinal));

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
    }

    [Fact]
    public async Task ChangeCdrom_OnARunningGuest_InsertsAndEjectsLive_AndTheDefinitionFollows()
    {
        var booted = Path.Combine(_folders.Pool, "boot.iso");
        var other = Path.Combine(_folders.Pool, "other.iso");
        File.Copy(_folders.Guest.IsoPath, booted);
        File.Copy(_folders.Guest.IsoPath, other);
        var definition = _folders.Definition("live-cd", withDisk: false) with { Cdrom = new CdromDefinition { IsoPath = booted, BootOrder = 1 } };
        Assert.True((await _host.Commands.DefineVm(definition, [])).Ok);
        Assert.True((await _host.Commands.StartVm(definition.Uuid)).Ok);
        await using (var serial = await SerialConsole.ConnectAsync(_host.PathsFor(definition.Uuid).SerialSocket, TimeSpan.FromSeconds(10)))
        {
            await serial.WaitForAsync(TestGuest.ReadyLine, Boot);
        }

        var inserted = await _host.Commands.ChangeCdrom(definition.Uuid, other);
        Assert.True(inserted.Ok, inserted.Error);
        Assert.Equal(AgentErrorKind.Conflict, (await _host.Commands.DeletePoolFile(_folders.Pool, "other.iso")).ErrorKind);
        Assert.True((await _host.Commands.DeletePoolFile(_folders.Pool, "boot.iso")).Ok);

        var ejected = await _host.Commands.ChangeCdrom(definition.Uuid, null);
        Assert.True(ejected.Ok, ejected.Error);
        Assert.Equal(VmPowerState.Running, ejected.Vm!.State);

        await _host.DisposeAsync();
        await using var restarted = await _folders.StartHostAsync();
        Assert.True((await restarted.Commands.DeletePoolFile(_folders.Pool, "other.iso")).Ok, "the stored definition no longer names the ISO");
        Assert.True((await restarted.Commands.StopVm(definition.Uuid)).Ok);
    }
}
