using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// One agent's hold on its run folder (the VMs' sockets and pidfiles), for as long as it runs. Two agents or
/// panels with the same run folder would attach to each other's VMs, so the second is refused with the first one's
/// pid and data folder. The hold is an open-file-description lock on <c>.lock</c>, which the kernel drops when the
/// process dies, so a crashed agent never leaves a stale claim; QEMU does not inherit it (close-on-exec, and
/// spawned children get no inherited descriptors).
/// </summary>
public sealed class RunRootClaim : IDisposable
{
    private const string LockName = ".lock";
    private const string OwnerName = ".owner";

    private int _fd;

    private RunRootClaim(int fd) => _fd = fd;

    /// <summary>Claims <paramref name="runRoot"/> for this process, whose VMs keep their data in <paramref name="dataRoot"/>.</summary>
    /// <exception cref="InvalidOperationException">Another live instance holds it, or the lock file cannot be made.</exception>
    public static RunRootClaim Take(string runRoot, string dataRoot)
    {
        Directory.CreateDirectory(runRoot);
        var ownerPath = Path.Combine(runRoot, OwnerName);
        var fd = Native.TryLockFile(Path.Combine(runRoot, LockName), out var error);
        if (fd == -2)
        {
            var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "an unknown process";
            throw new InvalidOperationException(
                $"The run folder {runRoot} is in use by another WebVirt agent or panel ({owner}): two instances on one host would take over "
                + "each other's VMs. Give this one its own folder with Hypervisor:RunDirectory, or stop the other one.");
        }

        if (fd < 0)
        {
            throw new InvalidOperationException($"Cannot lock the run folder {runRoot}: {error}.");
        }

        File.WriteAllText(ownerPath, $"pid {Environment.ProcessId}, VM data in {dataRoot}\n");
        return new RunRootClaim(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Native.Close(fd);
        }
    }
}
