using WebVirt.Host.Agent.Backups;
using WebVirt.Host.Agent.Tests.Connection;
using WebVirt.Host.Agent.Tests.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Backups;

/// <summary>The hidden folders of backups that did not finish are removed when the agent starts, and nothing else is.</summary>
public sealed class BackupPartialCleanupTests(ITestOutputHelper output)
{
    private const string Id = "20261201T031500000Z";

    [Fact]
    public void DeleteAbandonedPartials_RemovesOnlyPartialBackupFolders_NeverThroughALink()
    {
        using var folder = new TempFolder("wvb");
        var root = folder.Combine("backups");
        var vm = Path.Combine(root, Guid.NewGuid().ToString("D"));
        var partial = Partial(vm, Id);
        var whole = Directory.CreateDirectory(Path.Combine(vm, Id)).FullName;
        File.WriteAllText(Path.Combine(whole, "disk0.qcow2"), "kept");
        var odd = Directory.CreateDirectory(Path.Combine(vm, ".notes.partial")).FullName;
        var notAVm = Partial(Path.Combine(root, "not-a-vm"), Id);
        var outside = Directory.CreateDirectory(folder.Combine("outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "precious"), "kept");
        var link = Path.Combine(vm, ".20261201T031600000Z.partial");
        Directory.CreateSymbolicLink(link, outside);

        var deleted = new BackupStore(root).DeleteAbandonedPartials();

        Assert.Equal([partial], deleted);
        Assert.False(Directory.Exists(partial));
        Assert.True(File.Exists(Path.Combine(whole, "disk0.qcow2")));
        Assert.True(Directory.Exists(odd));
        Assert.True(Directory.Exists(notAVm));
        Assert.NotNull(new DirectoryInfo(link).LinkTarget);
        Assert.True(File.Exists(Path.Combine(outside, "precious")));
    }

    [Fact]
    public void DeleteAbandonedPartials_WithoutABackupFolder_DoesNothing()
    {
        using var folder = new TempFolder("wvb");

        Assert.Empty(new BackupStore(folder.Combine("backups")).DeleteAbandonedPartials());
    }

    [Fact]
    public async Task AgentStart_RemovesThePartialFolderOfAnInterruptedBackup()
    {
        await using var folders = new AgentTestFolders(output);
        var vm = Path.Combine(folders.Pool, "backups", Guid.NewGuid().ToString("D"));
        var partial = Partial(vm, Id);
        var whole = Directory.CreateDirectory(Path.Combine(vm, "20261130T031500000Z")).FullName;
        using var agent = AgentProcess.Build(folders, output, new Dictionary<string, string?>
        {
            ["Agent:PanelUrl"] = "http://127.0.0.1:1",
            ["Agent:Token"] = "t",
        });

        await agent.StartAsync();
        await agent.StopAsync();

        Assert.False(Directory.Exists(partial));
        Assert.True(Directory.Exists(whole));
    }

    // What an interrupted backup leaves: its hidden folder with the disks copied so far.
    private static string Partial(string vmFolder, string id)
    {
        var partial = Directory.CreateDirectory(Path.Combine(vmFolder, $".{id}.partial")).FullName;
        File.WriteAllBytes(Path.Combine(partial, "disk0.qcow2"), new byte[4096]);
        return partial;
    }
}
