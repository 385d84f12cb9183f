using System.Globalization;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// Gives every VM a user id of its own for its QEMU (like libvirt's per-VM labels or systemd's dynamic users), so
/// that one VM's QEMU, if a guest takes it over, cannot reach another VM's sockets, key files or disks: each of
/// those is owned by its own VM's uid and closed to everyone else. The ids come from a range no real account
/// uses (<see cref="Configuration.HypervisorOptions.FirstVmUid"/>), are handed out in order and never reused (a
/// deleted VM's leftover files must not fall to a new VM), and are remembered in the VM's data folder. The group
/// stays the shared QEMU account's, which only gives read access to shared read-only images (templates that
/// linked clones are built on), and its supplementary groups (kvm, for /dev/kvm) are kept.
/// </summary>
internal sealed class VmIdentities(string dataRoot, int firstUid, int count)
{
    private const string IdentityFileName = "uid";
    private const string CounterFileName = ".next-vm-uid";

    private readonly Lock _gate = new();

    /// <summary>The account <paramref name="shared"/> with the VM's own uid, allocated at its first start.</summary>
    public QemuUserAccount For(VmPaths paths, QemuUserAccount shared)
    {
        lock (_gate)
        {
            var identityFile = Path.Combine(paths.DataDirectory, IdentityFileName);
            if (!TryRead(identityFile, out var uid))
            {
                uid = Allocate();
                Directory.CreateDirectory(paths.DataDirectory);
                File.WriteAllText(identityFile, uid.ToString(CultureInfo.InvariantCulture) + "\n");
            }

            return shared with { Name = $"vm-{paths.Uuid:N}", Uid = uid };
        }
    }

    private int Allocate()
    {
        var counterFile = Path.Combine(dataRoot, CounterFileName);
        var next = TryRead(counterFile, out var stored) ? stored : firstUid;
        if (next < firstUid || next >= firstUid + (long)count)
        {
            throw new VmStartException(
                $"No user id is left for a new VM in {firstUid}-{firstUid + (long)count - 1} (Hypervisor:FirstVmUid, Hypervisor:VmUidCount): widen the range.");
        }

        Directory.CreateDirectory(dataRoot);
        var temporary = counterFile + ".new";
        File.WriteAllText(temporary, (next + 1).ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, counterFile, overwrite: true);
        return next;
    }

    private bool TryRead(string path, out int value)
    {
        value = 0;
        return File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= firstUid && value < firstUid + (long)count;
    }
}
