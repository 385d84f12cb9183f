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

    private volatile string? _lastRefusal;

    /// <summary>
    /// Why VMs on this host are not isolated by cgroup, or null when they are (as far as is known: a delegation the
    /// agent lacks shows once a placement has failed). For the host's facts, so the panel can say so.
    /// </summary>
    public string? Limitation => Unsupported() ?? _lastRefusal;

    /// <summary>Moves <paramref name="pid"/> into <c>vm-{uuid}</c>; returns its cgroup path, or null with the reason in <paramref name="outcome"/>.</summary>
    public string? TryPlace(Guid uuid, int pid, out string outcome)
    {
        if (Unsupported() is { } reason)
        {
            outcome = $"not placed in a cgroup of its own: {reason}";
            return null;
        }

        var own = OwnCgroup()!;

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
            _lastRefusal = null;
            return relative;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _lastRefusal = $"the agent's cgroup {parentPath} is not delegated to it ({ex.Message})";
            outcome = $"not placed in a cgroup of its own: {_lastRefusal}";
            return null;
        }
    }

    private string? Unsupported() =>
        !File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")) ? "the host has no unified cgroup v2 hierarchy"
        : OwnCgroup() is null ? $"{selfCgroupFile} names no cgroup v2 path"
        : null;

    private string? OwnCgroup() =>
        File.ReadLines(selfCgroupFile).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];

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
