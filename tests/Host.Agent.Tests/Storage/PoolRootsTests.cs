using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Storage;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>The rule of where pools may lie, on its own: the defaults, the configured roots and the protected folders.</summary>
public sealed class PoolRootsTests : IDisposable
{
    private readonly TempFolder _folder = new("wvr");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Defaults_AreTheDataFolderAndTheSystemFolders()
    {
        var roots = Roots(new AgentOptions { PoolListFile = _folder.Combine("data", "pools.json") });

        Assert.Equal([_folder.Combine("data"), "/var/lib/webvirt", "/srv", "/mnt"], roots.Roots);
    }

    [Fact]
    public void ConfiguredRoots_ReplaceTheDefaults()
    {
        var roots = Roots(new AgentOptions { PoolListFile = _folder.Combine("data", "pools.json"), PoolRoots = [_folder.Combine("storage")] });
        Directory.CreateDirectory(_folder.Combine("storage", "isos"));
        Directory.CreateDirectory(_folder.Combine("data", "isos"));

        Assert.Equal([_folder.Combine("storage")], roots.Roots);
        Assert.Null(roots.Check(_folder.Combine("storage", "isos")));
        Assert.Null(roots.Check(_folder.Combine("storage")));
        Assert.Contains("not in a folder where this host allows pools", roots.Check(_folder.Combine("data", "isos")));
        Assert.Contains("not in a folder where this host allows pools", roots.Check(_folder.Combine("storage-2")));
    }

    [Fact]
    public void TheDataFolder_IsAllowedBelowButNotWhereItHoldsTheAgentsState()
    {
        var options = new AgentOptions { PoolListFile = _folder.Combine("data", "pools.json"), ProtectedFolders = [_folder.Combine("panel", "keys")] };
        var roots = Roots(options);

        Assert.Null(roots.Check(_folder.Combine("data", "isos")));
        Assert.Contains("contains", roots.Check(_folder.Combine("data")));
        Assert.Contains("Data Protection keys", roots.Check(_folder.Combine("data", "keys")));
        Assert.Contains("sockets", roots.Check(_folder.Combine("data", "run", "x")));
        Assert.Contains("definitions", roots.Check(_folder.Combine("data", "vms")));
    }

    [Fact]
    public void AnExtraProtectedFolder_IsRefusedAsWellAsWhatHoldsIt()
    {
        var roots = Roots(new AgentOptions { PoolListFile = _folder.Combine("data", "pools.json"), PoolRoots = [_folder.Path], ProtectedFolders = [_folder.Combine("panel", "keys")] });

        Assert.Contains("lies in", roots.Check(_folder.Combine("panel", "keys", "sub")));
        Assert.Contains("contains", roots.Check(_folder.Combine("panel")));
        Assert.Null(roots.Check(_folder.Combine("panel-isos")));
    }

    private PoolRoots Roots(AgentOptions options) => AgentPoolRoots.From(options, new VmSupervisor(Microsoft.Extensions.Options.Options.Create(new HypervisorOptions
    {
        DataDirectory = _folder.Combine("data", "vms"),
        RunDirectory = _folder.Combine("data", "run"),
    })));
}
