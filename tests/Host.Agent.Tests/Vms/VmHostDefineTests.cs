using System.Text.Json;
using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Tests.Vms;

/// <summary>Defining and undefining VMs: no QEMU runs, only qemu-img.</summary>
public sealed class VmHostDefineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AgentTestFolders _folders = null!;

    public Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Fact]
    public async Task Define_NewDisks_CreatesTheImagesInThePoolAndStoresTheDefinition()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("web") with
        {
            Disks =
            [
                new DiskDefinition { Id = "disk0", Path = Path.Combine(_folders.Pool, "web", "disk0.qcow2") },
                new DiskDefinition { Id = "disk1", Path = Path.Combine(_folders.Pool, "web", "disk1.raw"), Format = DiskFormat.Raw },
            ],
        };

        var reply = await host.Commands.DefineVm(definition, [new NewDisk("disk0", 32L << 20), new NewDisk("disk1", 8L << 20)]);

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal(VmPowerState.Stopped, reply.Vm!.State);
        var qcow2 = await new QemuImg().InfoAsync(definition.Disks[0].Path, DiskFormat.Qcow2);
        Assert.Equal(32L << 20, qcow2.VirtualSize);
        Assert.Equal(8L << 20, new FileInfo(definition.Disks[1].Path).Length);

        var stored = JsonSerializer.Deserialize<VmDefinition>(
            await File.ReadAllTextAsync(host.PathsFor(definition.Uuid).DefinitionFile),
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } });
        Assert.Equal(definition.Name, stored!.Name);
        Assert.Equal(DiskFormat.Raw, stored.Disks[1].Format);
        Assert.Contains(host.Reports(), r => r.Uuid == definition.Uuid && r.Name == "web" && r.State == VmPowerState.Stopped);
    }

    [Theory]
    [InlineData("0.0.0.0", 8080, "nics[0].portForwards[0].hostAddress")]
    [InlineData("127.0.0.1", 80, "nics[0].portForwards[0].hostPort")]
    public async Task Define_PortForwardOutsideTheHostsPolicy_IsRefused(string address, int port, string field)
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("forward", withDisk: false);
        definition = definition with
        {
            Nics = [new NicDefinition { Id = "net0", MacAddress = "52:54:00:aa:bb:01", PortForwards = [new PortForward { HostAddress = address, HostPort = port, GuestPort = 22 }] }],
        };

        var reply = await host.Commands.DefineVm(definition, []);

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains(field + ":", reply.Error, StringComparison.Ordinal);
        AssertNothingDefined(host, definition.Uuid);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("{pool}/../escape.qcow2")]
    [InlineData("{pool}/sub/../../escape.qcow2")]
    [InlineData("{root}/elsewhere.qcow2")]
    public async Task Define_DiskOutsideThePool_IsRefusedAndCreatesNothing(string template)
    {
        var host = await _folders.StartHostAsync();
        var path = template.Replace("{pool}", _folders.Pool, StringComparison.Ordinal).Replace("{root}", _folders.Root, StringComparison.Ordinal);
        var passwd = File.ReadAllBytes("/etc/passwd");
        var definition = _folders.Definition("escape") with { Disks = [new DiskDefinition { Id = "disk0", Path = path }] };

        var reply = await host.Commands.DefineVm(definition, [new NewDisk("disk0", 1L << 20)]);

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains("outside this host's image pool", reply.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(_folders.Root, "escape.qcow2"))));
        Assert.False(File.Exists(Path.Combine(_folders.Root, "elsewhere.qcow2")));
        Assert.Equal(passwd, File.ReadAllBytes("/etc/passwd"));
        AssertNothingDefined(host, definition.Uuid);
    }

    [Fact]
    public async Task Define_SymlinksInThePoolLeadingOut_AreRefused()
    {
        var host = await _folders.StartHostAsync();
        Directory.CreateSymbolicLink(Path.Combine(_folders.Pool, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_folders.Pool, "shadow.qcow2"), "/etc/shadow");
        var throughFolder = _folders.Definition("viafolder") with { Disks = [new DiskDefinition { Id = "disk0", Path = Path.Combine(_folders.Pool, "etc", "new.qcow2") }] };
        var throughFile = _folders.Definition("viafile") with { Disks = [new DiskDefinition { Id = "disk0", Path = Path.Combine(_folders.Pool, "shadow.qcow2"), Format = DiskFormat.Raw }] };

        var folderReply = await host.Commands.DefineVm(throughFolder, [new NewDisk("disk0", 1L << 20)]);
        var fileReply = await host.Commands.DefineVm(throughFile, []);

        Assert.Equal(AgentErrorKind.Invalid, folderReply.ErrorKind);
        Assert.Contains("outside this host's image pool", folderReply.Error, StringComparison.Ordinal);
        Assert.False(File.Exists("/etc/new.qcow2"));
        Assert.Equal(AgentErrorKind.Invalid, fileReply.ErrorKind);
        Assert.Contains("outside this host's image pool", fileReply.Error, StringComparison.Ordinal);
        Assert.Empty(host.Reports());
    }

    [Fact]
    public async Task Define_InvalidDefinition_IsRefusedWithTheValidatorsMessage()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("ok") with { Name = "bad name;", MemoryMiB = 1 };

        var reply = await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition));

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.StartsWith("Invalid VM definition: ", reply.Error, StringComparison.Ordinal);
        Assert.Contains("name: must be 1-63 characters", reply.Error, StringComparison.Ordinal);
        Assert.Contains("memoryMiB: must be between", reply.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(definition.Disks[0].Path));
        AssertNothingDefined(host, definition.Uuid);
    }

    [Fact]
    public async Task Define_NameUsedByAnotherVm_IsRefused()
    {
        var host = await _folders.StartHostAsync();
        var first = _folders.Definition("web", withDisk: false);
        Assert.True((await host.Commands.DefineVm(first, [])).Ok);
        var second = _folders.Definition("other") with { Name = "WEB" };

        var reply = await host.Commands.DefineVm(second, AgentTestFolders.NewDisks(second));

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Equal($"The name 'WEB' is already used by VM {first.Uuid} on this host.", reply.Error);
        Assert.False(File.Exists(second.Disks[0].Path));
        AssertNothingDefined(host, second.Uuid);
    }

    [Fact]
    public async Task Define_ConcurrentDefinesOfOneName_OnlyOneWins()
    {
        var host = await _folders.StartHostAsync();
        var definitions = Enumerable.Range(0, 10).Select(_ => _folders.Definition("same", withDisk: false)).ToList();

        var replies = await Task.WhenAll(definitions.Select(d => Task.Run(() => host.Commands.DefineVm(d, []))));

        Assert.Single(replies, r => r.Ok);
        Assert.All(replies.Where(r => !r.Ok), r => Assert.Equal(AgentErrorKind.Invalid, r.ErrorKind));
        Assert.Single(host.Reports());
    }

    [Fact]
    public async Task Define_NewDiskOverAnExistingFile_IsRefusedAndLeavesTheFile()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("clobber");
        Directory.CreateDirectory(Path.GetDirectoryName(definition.Disks[0].Path)!);
        await File.WriteAllTextAsync(definition.Disks[0].Path, "precious");

        var reply = await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition));

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains("already exists", reply.Error, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(definition.Disks[0].Path));
        AssertNothingDefined(host, definition.Uuid);
    }

    [Fact]
    public async Task Define_ExistingDiskThatIsMissing_IsRefused()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("missing");

        var reply = await host.Commands.DefineVm(definition, []);

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains("does not exist", reply.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Define_AgainWhileStopped_ReplacesTheStoredDefinition()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("grow");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);

        var reply = await host.Commands.DefineVm(definition with { MemoryMiB = 512, Name = "grown" }, []);

        Assert.True(reply.Ok, reply.Error);
        Assert.Equal("grown", reply.Vm!.Name);
        await using var restarted = _folders.CreateHost();
        await host.DisposeAsync();
        await restarted.InitializeAsync();
        Assert.Equal("grown", Assert.Single(restarted.Reports()).Name);
        Assert.Contains("\"memoryMiB\": 512", await File.ReadAllTextAsync(host.PathsFor(definition.Uuid).DefinitionFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StoredDefinitionTamperedToLeaveThePool_IsRefusedBeforeQemuRuns()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("tampered");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);
        var file = host.PathsFor(definition.Uuid).DefinitionFile;
        await host.DisposeAsync();
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(definition.Disks[0].Path, "/etc/passwd", StringComparison.Ordinal));
        var passwdMode = File.GetUnixFileMode("/etc/passwd");

        var restarted = await _folders.StartHostAsync();
        var reply = await restarted.Commands.StartVm(definition.Uuid);

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains("'/etc/passwd' is outside this host's image pool", reply.Error, StringComparison.Ordinal);
        Assert.Empty(AgentTestFolders.QemuPidsOf(definition.Uuid));
        Assert.Equal(passwdMode, File.GetUnixFileMode("/etc/passwd"));
    }

    [Fact]
    public async Task Undefine_KeepingDisks_RemovesOnlyTheVmsFolder()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("keep");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);

        var reply = await host.Commands.UndefineVm(definition.Uuid, removeDisks: false);

        Assert.True(reply.Ok, reply.Error);
        Assert.True(File.Exists(definition.Disks[0].Path));
        Assert.False(Directory.Exists(host.PathsFor(definition.Uuid).DataDirectory));
        AssertNothingDefined(host, definition.Uuid);
    }

    [Fact]
    public async Task Undefine_WithDisks_DeletesTheImages()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("drop");
        Assert.True((await host.Commands.DefineVm(definition, AgentTestFolders.NewDisks(definition))).Ok);

        var reply = await host.Commands.UndefineVm(definition.Uuid, removeDisks: true);

        Assert.True(reply.Ok, reply.Error);
        Assert.False(File.Exists(definition.Disks[0].Path));
        Assert.False(Directory.Exists(host.PathsFor(definition.Uuid).DataDirectory));
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.StartVm(definition.Uuid)).ErrorKind);
    }

    [Fact]
    public async Task Operations_OnAnUnknownVm_AreNotFound()
    {
        var host = await _folders.StartHostAsync();
        var uuid = Guid.NewGuid();

        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.StartVm(uuid)).ErrorKind);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.StopVm(uuid)).ErrorKind);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.UndefineVm(uuid, true)).ErrorKind);
        Assert.Equal(AgentErrorKind.NotFound, (await host.Commands.Screendump(uuid)).Result.ErrorKind);
    }

    [Fact]
    public async Task Operations_OnAStoppedVm_AreConflicts()
    {
        var host = await _folders.StartHostAsync();
        var definition = _folders.Definition("idle", withDisk: false);
        Assert.True((await host.Commands.DefineVm(definition, [])).Ok);

        var stop = await host.Commands.StopVm(definition.Uuid);
        var pause = await host.Commands.PauseVm(definition.Uuid);

        Assert.Equal(AgentErrorKind.Conflict, stop.ErrorKind);
        Assert.Equal("VM 'idle' is not running.", stop.Error);
        Assert.Equal(AgentErrorKind.Conflict, pause.ErrorKind);
    }

    private static void AssertNothingDefined(TestAgent host, Guid uuid)
    {
        Assert.Null(host.Report(uuid));
        Assert.False(Directory.Exists(host.PathsFor(uuid).DataDirectory), "no data folder was created");
    }
}
