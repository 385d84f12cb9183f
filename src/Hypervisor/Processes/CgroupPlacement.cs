using System.Globalization;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// Puts each VM's QEMU into a cgroup of its own below the agent's (cgroup v2 only), so that the host's
/// accounting and limits (memory, CPU, pids) apply per VM. Needs write access to the agent's cgroup, as
/// systemd grants with <c>Delegate=yes</c>; the agent itself moves to an <c>agent</c> leaf first, because
/// cgroup v2 lets a cgroup with controllers enabled for its children hold no processes of its own.
/// Best effort: where it cannot, the VM runs in the agent's cgroup and the outcome says why.
/// </summary>
internal sealed class CgroupPlacement(string cgroupRoot = "/sys/fs/cgroup", string selfCgroupFile = "/proc/self/cgroup")
{
    private static readonly string[] WantedControllers = ["cpu", "memory", "pids", "io"];

    /// <summary>Moves <paramref name="pid"/> into <c>vm-{uuid}</c>; returns its cgroup path, or null with the reason in <paramref name="outcome"/>.</summary>
    public string? TryPlace(Guid uuid, int pid, out string outcome)
    {
        if (!File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")))
        {
            outcome = "not placed in a cgroup of its own: the host has no unified cgroup v2 hierarchy";
            return null;
        }

        var own = File.ReadLines(selfCgroupFile).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        if (own is null)
        {
            outcome = $"not placed in a cgroup of its own: {selfCgroupFile} names no cgroup v2 path";
            return null;
        }

        // Once moved, the agent's own cgroup is the 'agent' leaf; VMs go beside it.
        var parentPath = own.EndsWith("/agent", StringComparison.Ordinal) ? own[..^"/agent".Length] : own;
        var parent = Path.Combine(cgroupRoot, parentPath.TrimStart('/'));
        try
        {
            if (!own.EndsWith("/agent", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(parent, "agent"));
                File.WriteAllText(Path.Combine(parent, "agent", "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            }

            EnableControllers(parent);
            var vm = Path.Combine(parent, $"vm-{uuid:D}");
            Directory.CreateDirectory(vm);
            File.WriteAllText(Path.Combine(vm, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
            var relative = "/" + Path.GetRelativePath(cgroupRoot, vm);
            outcome = $"placed in cgroup {relative}";
            return relative;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            outcome = $"not placed in a cgroup of its own: the agent's cgroup {parentPath} is not delegated to it ({ex.Message})";
            return null;
        }
    }

    private static void EnableControllers(string parent)
    {
        var available = File.ReadAllText(Path.Combine(parent, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wanted = WantedControllers.Where(available.Contains).Select(c => "+" + c).ToList();
        if (wanted.Count > 0)
        {
            File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), string.Join(' ', wanted));
        }
    }
}
