using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>
/// Where pools may be added and what may be deleted from them, through the agent's commands on real folders: only
/// under the configured root (the test's temp folder), never at the agent's own state, judged with links resolved.
/// </summary>
public sealed class PoolPlacementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AgentTestFolders _folders = null!;
    private TestAgent _host = null!;

    public async Task InitializeAsync()
    {
        _folders = new AgentTestFolders(output);
        _host = await _folders.StartHostAsync();
    }

    public async Task DisposeAsync() => await _folders.DisposeAsync();

    [Theory]
    [InlineData("/etc", "not in a folder where this host allows pools")]
    [InlineData("/root", "not in a folder where this host allows pools")]
    [InlineData("/srv", "not in a folder where this host allows pools")]
    [InlineData("{root}/to-etc", "resolves to '/etc'")]
    [InlineData("{root}/to-slash/etc", "resolves to '/etc'")]
    [InlineData("{root}/up/etc", "resolves to '/etc'")]
    [InlineData("{root}/keys", "lies in {root}/keys")]
    [InlineData("{root}/to-keys", "lies in {root}/keys")]
    [InlineData("{root}/data", "lies in {root}/data")]
    [InlineData("{root}/data/vm-files", "lies in {root}/data")]
    [InlineData("{root}/run", "lies in {root}/run")]
    [InlineData("{root}/to-root", "contains {root}/data")]
    [InlineData("{root}/isos/../../etc", "not normalised")]
    public async Task AddPool_OutsideTheRootsOrAtTheAgentsState_IsRefusedAndChangesNothing(string template, string reason)
    {
        var root = _folders.Root;
        Directory.CreateDirectory(Path.Combine(root, "isos"));
        Directory.CreateDirectory(Path.Combine(root, "keys"));
        Directory.CreateDirectory(Path.Combine(root, "data", "vm-files"));
        Directory.CreateDirectory(Path.Combine(root, "run"));
        File.CreateSymbolicLink(Path.Combine(root, "to-etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(root, "to-slash"), "/");
        File.CreateSymbolicLink(Path.Combine(root, "up"), "../..");
        File.CreateSymbolicLink(Path.Combine(root, "to-keys"), Path.Combine(root, "keys"));
        File.CreateSymbolicLink(Path.Combine(root, "to-root"), root);
        var before = File.Exists(_folders.Agent.PoolListFile) ? await File.ReadAllTextAsync(_folders.Agent.PoolListFile) : null;
        var entries = Directory.GetFileSystemEntries(root).Length;

        var reply = await _host.Commands.AddPool(template.Replace("{root}", root, StringComparison.Ordinal));

        Assert.Equal(AgentErrorKind.Invalid, reply.ErrorKind);
        Assert.Contains(reason.Replace("{root}", root, StringComparison.Ordinal), reply.Error);
        Assert.Single((await _host.Commands.ListPools()).Pools);
        Assert.Equal(before, File.Exists(_folders.Agent.PoolListFile) ? await File.ReadAllTextAsync(_folders.Agent.PoolListFile) : null);
        Assert.Equal(entries, Directory.GetFileSystemEntries(root).Length);
    }

    [Fact]
    public async Task AddPool_OutsideTheRoots_NamesTheAllowedRoots()
    {
        var reply = await _host.Commands.AddPool("/etc");

        Assert.Contains(_folders.Root, reply.Error);
        Assert.Contains("Agent:PoolRoots", reply.Error);
    }

    [Fact]
    public async Task AddPool_UnderTheRoot_IsAccepted_AlsoThroughALinkThatStaysInside()
    {
        var isos = Directory.CreateDirectory(Path.Combine(_folders.Root, "isos")).FullName;
        var linked = Path.Combine(_folders.Root, "images-link");
        Directory.CreateDirectory(Path.Combine(_folders.Root, "more", "images"));
        File.CreateSymbolicLink(linked, Path.Combine(_folders.Root, "more", "images"));

        Assert.True((await _host.Commands.AddPool(isos)).Ok);
        Assert.True((await _host.Commands.AddPool(linked)).Ok);
        Assert.Equal([_folders.Pool, isos, linked], (await _host.Commands.ListPools()).Pools.Select(p => p.Path));
    }

    [Fact]
    public async Task APoolRememberedOutsideTheRoots_IsIgnoredAtStart()
    {
        var isos = Directory.CreateDirectory(Path.Combine(_folders.Root, "isos")).FullName;
        await _host.DisposeAsync();
        await File.WriteAllTextAsync(_folders.Agent.PoolListFile, $"[\"/etc\",\"{isos}\"]");

        await using var restarted = await _folders.StartHostAsync();

        Assert.Equal([_folders.Pool, isos], (await restarted.Commands.ListPools()).Pools.Select(p => p.Path));
        Assert.Equal(AgentErrorKind.NotFound, (await restarted.Commands.DeletePoolFile("/etc", "passwd.img")).ErrorKind);
    }

    [Fact]
    public async Task DeletePoolFile_OfARegularImage_DeletesIt()
    {
        var iso = Path.Combine(_folders.Pool, "a.iso");
        await File.WriteAllTextAsync(iso, "x");

        Assert.True((await _host.Commands.DeletePoolFile(_folders.Pool, "a.iso")).Ok);
        Assert.False(File.Exists(iso));
    }

    [Theory]
    [InlineData("link.iso", AgentErrorKind.Invalid)]
    [InlineData("dangling.qcow2", AgentErrorKind.Invalid)]
    [InlineData("folder.raw", AgentErrorKind.Invalid)]
    [InlineData("fifo.img", AgentErrorKind.Invalid)]
    [InlineData("notes.txt", AgentErrorKind.Invalid)]
    [InlineData("pools.json", AgentErrorKind.Invalid)]
    [InlineData("missing.iso", AgentErrorKind.NotFound)]
    public async Task DeletePoolFile_OfAnythingButARegularImage_IsRefusedAndDeletesNothing(string name, AgentErrorKind kind)
    {
        var pool = _folders.Pool;
        var outside = Path.Combine(_folders.Root, "precious.iso");
        await File.WriteAllTextAsync(outside, "keep me");
        File.CreateSymbolicLink(Path.Combine(pool, "link.iso"), outside);
        File.CreateSymbolicLink(Path.Combine(pool, "dangling.qcow2"), Path.Combine(_folders.Root, "nothing"));
        Directory.CreateDirectory(Path.Combine(pool, "folder.raw"));
        await File.WriteAllTextAsync(Path.Combine(pool, "notes.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(pool, "pools.json"), "[]");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(pool, "fifo.img")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var entries = Directory.GetFileSystemEntries(pool).Order(StringComparer.Ordinal).ToList();

        var reply = await _host.Commands.DeletePoolFile(pool, name);

        Assert.Equal(kind, reply.ErrorKind);
        Assert.Equal(entries, Directory.GetFileSystemEntries(pool).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("keep me", await File.ReadAllTextAsync(outside));
    }
}
