using WebVirt.Hypervisor.Processes;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Processes;

/// <summary>
/// The placement logic against a fake cgroup2 tree (files behave like the kernel's for these writes); the
/// machines here run cgroup v1, where the real placement must decline and say why.
/// </summary>
public sealed class CgroupPlacementTests : IDisposable
{
    private readonly TempFolder _folder = new("wvcg");

    [Fact]
    public void TryPlace_DelegatedCgroup_MovesTheAgentToALeafAndTheVmBesideIt()
    {
        var service = Directory.CreateDirectory(_folder.Combine("root", "system.slice", "webvirt-agent.service")).FullName;
        File.WriteAllText(_folder.Combine("root", "cgroup.controllers"), "cpuset cpu io memory pids");
        File.WriteAllText(Path.Combine(service, "cgroup.controllers"), "cpu io memory pids");
        File.WriteAllText(_folder.Combine("self"), "0::/system.slice/webvirt-agent.service\n");
        var uuid = Guid.NewGuid();

        var path = new CgroupPlacement(_folder.Combine("root"), _folder.Combine("self")).TryPlace(uuid, 4242, out var outcome);

        Assert.Equal($"/system.slice/webvirt-agent.service/vm-{uuid}", path);
        Assert.Contains("placed in cgroup", outcome, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId.ToString(), File.ReadAllText(Path.Combine(service, "agent", "cgroup.procs")));
        Assert.Equal("+cpu +memory +pids +io", File.ReadAllText(Path.Combine(service, "cgroup.subtree_control")));
        Assert.Equal("4242", File.ReadAllText(Path.Combine(service, $"vm-{uuid}", "cgroup.procs")));
    }

    [Fact]
    public void TryPlace_AgentAlreadyInItsLeaf_PutsTheVmBesideIt()
    {
        var service = Directory.CreateDirectory(_folder.Combine("root", "webvirt")).FullName;
        Directory.CreateDirectory(Path.Combine(service, "agent"));
        File.WriteAllText(_folder.Combine("root", "cgroup.controllers"), "memory pids");
        File.WriteAllText(Path.Combine(service, "cgroup.controllers"), "memory pids");
        File.WriteAllText(_folder.Combine("self"), "0::/webvirt/agent\n");
        var uuid = Guid.NewGuid();

        var path = new CgroupPlacement(_folder.Combine("root"), _folder.Combine("self")).TryPlace(uuid, 7, out _);

        Assert.Equal($"/webvirt/vm-{uuid}", path);
        Assert.False(File.Exists(Path.Combine(service, "agent", "cgroup.procs")), "the agent is not moved twice");
    }

    [Fact]
    public void TryPlace_CgroupV1Host_DeclinesWithAReason()
    {
        Directory.CreateDirectory(_folder.Combine("root", "memory"));
        File.WriteAllText(_folder.Combine("self"), "4:memory:/\n0::/\n");

        var path = new CgroupPlacement(_folder.Combine("root"), _folder.Combine("self")).TryPlace(Guid.NewGuid(), 7, out var outcome);

        Assert.Null(path);
        Assert.Contains("no unified cgroup v2 hierarchy", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public void Limitation_CgroupV1Host_IsKnownBeforeAnyVmStarts()
    {
        File.WriteAllText(_folder.Combine("self"), "4:memory:/\n0::/\n");

        var placement = new CgroupPlacement(_folder.Combine("root"), _folder.Combine("self"));

        Assert.Equal("the host has no unified cgroup v2 hierarchy", placement.Limitation);
    }

    [Fact]
    public void Limitation_AfterAFailedPlacement_SaysWhy_AndClearsOnceOneSucceeds()
    {
        File.WriteAllText(_folder.Combine("cgroup.controllers"), "memory");
        File.WriteAllText(_folder.Combine("self"), "0::/system.slice/webvirt-agent.service\n");
        File.WriteAllText(_folder.Combine("system.slice"), "");
        var placement = new CgroupPlacement(_folder.Path, _folder.Combine("self"));
        Assert.Null(placement.Limitation);

        placement.TryPlace(Guid.NewGuid(), 7, out _);
        Assert.Contains("not delegated", placement.Limitation, StringComparison.Ordinal);

        File.Delete(_folder.Combine("system.slice"));
        Directory.CreateDirectory(_folder.Combine("system.slice", "webvirt-agent.service"));
        File.WriteAllText(_folder.Combine("system.slice", "webvirt-agent.service", "cgroup.controllers"), "memory");
        Assert.NotNull(placement.TryPlace(Guid.NewGuid(), 7, out _));
        Assert.Null(placement.Limitation);
    }

    [Fact]
    public void TryPlace_CgroupNotDelegated_DeclinesWithoutThrowing()
    {
        File.WriteAllText(_folder.Combine("cgroup.controllers"), "memory");
        File.WriteAllText(_folder.Combine("self"), "0::/system.slice/missing.service\n");
        File.WriteAllText(_folder.Combine("system.slice"), "");

        // The agent's cgroup path runs into a file: creating the leaf fails as it does in an undelegated cgroup.
        var path = new CgroupPlacement(_folder.Path, _folder.Combine("self")).TryPlace(Guid.NewGuid(), 7, out var outcome);

        Assert.Null(path);
        Assert.Contains("not delegated", outcome, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
