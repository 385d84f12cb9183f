using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// Who QEMU runs as, and what the agent's files must be for it: a VM's own files belong to the VM's account alone,
/// what every VM may read belongs to root and the QEMU group (0640), and the image check runs in that group too.
/// Where the agent is not root, or no QEMU account is set, QEMU runs as the agent and files only lose other users.
/// </summary>
internal sealed class QemuFileAccess(HypervisorOptions options, VmIdentities identities)
{
    private const UnixFileMode OwnerAndGroupRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>The account this VM's QEMU runs as: its own uid (see <see cref="VmIdentities"/>) in the QEMU account's groups.</summary>
    public QemuUserAccount? For(VmPaths paths)
    {
        if (Native.EffectiveUserId != 0 || string.IsNullOrEmpty(options.QemuUser))
        {
            return null;
        }

        var shared = Shared()
            ?? throw new VmStartException($"The user '{options.QemuUser}' that QEMU runs as does not exist: create it (run.sh does) or change Hypervisor:QemuUser.");
        return options.PerVmUid ? identities.For(paths, shared) : shared;
    }

    /// <summary>Why VMs do not each run as a user of their own, or null when they do.</summary>
    public string? IdentityGap() =>
        Native.EffectiveUserId != 0 ? "QEMU runs as the agent's own user: the agent does not run as root, so it cannot give each VM a user of its own."
        : string.IsNullOrEmpty(options.QemuUser) ? "QEMU runs as root: Hypervisor:QemuUser is empty."
        : !options.PerVmUid ? $"Every VM's QEMU runs as '{options.QemuUser}' (Hypervisor:PerVmUid is false): one VM's QEMU can open another's sockets and files."
        : null;

    /// <summary>The unprivileged account qemu-img parses untrusted images as; null where QEMU is not dropped to an account either.</summary>
    public ImageCheckAccount? ImageCheckAccount() =>
        Shared() is { } shared ? new ImageCheckAccount(options.ImageCheckUid ?? (options.FirstVmUid - 1), shared.Gid) : null;

    /// <summary>
    /// Makes a pool file readable by every VM's QEMU and by no other user (root:QEMU group, 0640): an ISO or an
    /// uploaded image, which any VM may be given read-only. Where QEMU runs as the agent's own user, 0640 alone.
    /// </summary>
    public void ShareWithQemu(string path)
    {
        if (Shared() is { } account)
        {
            ShareReadOnly(path, account);
        }
        else
        {
            File.SetUnixFileMode(path, OwnerAndGroupRead);
        }
    }

    /// <summary>
    /// Lets the QEMU group pass through a folder the agent keeps to itself (root:QEMU group, 0710: no listing), so
    /// the image check, which runs in that group, reaches the one file it is lent there.
    /// </summary>
    public void LetGroupPass(string folder)
    {
        const UnixFileMode PassOnly = RunFolder.OwnerOnly | UnixFileMode.GroupExecute;
        if (Shared() is { } account && File.GetUnixFileMode(folder) != PassOnly)
        {
            Native.ChangeOwner(folder, 0, account.Gid);
            File.SetUnixFileMode(folder, PassOnly);
        }
    }

    /// <summary>Owned by the VM's account and closed to everyone else: another VM's QEMU must not read it.</summary>
    public static void GiveTo(string path, QemuUserAccount account)
    {
        Native.ChangeOwner(path, account.Uid, account.Gid);
        File.SetUnixFileMode(path, Directory.Exists(path) ? RunFolder.OwnerOnly : UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Readable by every VM's QEMU through the group, writable by none of them.</summary>
    public static void ShareReadOnly(string path, QemuUserAccount account)
    {
        Native.ChangeOwner(path, 0, account.Gid);
        File.SetUnixFileMode(path, OwnerAndGroupRead);
    }

    /// <summary>The QEMU account whose group every VM's QEMU is in; null where QEMU is not dropped to one (agent not root, no QemuUser, no such user).</summary>
    private QemuUserAccount? Shared() =>
        Native.EffectiveUserId == 0 && !string.IsNullOrEmpty(options.QemuUser) ? QemuUserAccount.Find(options.QemuUser) : null;
}
