using WebVirt.Host.Agent.Configuration;
using WebVirt.Hypervisor.Processes;

namespace WebVirt.Host.Agent.Storage;

/// <summary>The agent's <see cref="PoolRoots"/>: the configured roots (or the defaults) and the folders of its own state.</summary>
internal static class AgentPoolRoots
{
    public static PoolRoots From(AgentOptions options, VmSupervisor supervisor)
    {
        // The agent's data folder is where it keeps its pool list (data/ in the single-machine setup).
        var dataFolder = Path.GetDirectoryName(Path.GetFullPath(options.PoolListFile))!;
        IReadOnlyList<string> roots = options.PoolRoots is { Count: > 0 } configured
            ? [.. configured.Select(Path.GetFullPath)]
            : [dataFolder, .. PoolRoots.SystemDefaults];
        List<ProtectedFolder> protectedFolders =
        [
            new(supervisor.DataRoot, "the VMs' definitions, logs and firmware variables"),
            new(Path.GetFullPath(supervisor.RunRoot), "the VMs' sockets and key files"),
            new(Path.Combine(dataFolder, "keys"), "the panel's Data Protection keys"),
            .. options.ProtectedFolders.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => new ProtectedFolder(Path.GetFullPath(f), "the panel's or agent's own state")),
        ];
        return new PoolRoots(roots, protectedFolders);
    }
}
