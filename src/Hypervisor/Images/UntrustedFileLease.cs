using WebVirt.Hypervisor.Interop;

namespace WebVirt.Hypervisor.Images;

/// <summary>
/// Lends an untrusted image to the image-check account's group for one inspection (group-readable, that group),
/// and puts its group and mode back afterwards, so the check leaves the file as it found it. The folders above
/// it must let that group (or everyone) pass, as pool folders do for the VMs' QEMU.
/// </summary>
internal sealed class UntrustedFileLease : IDisposable
{
    private readonly string _path;
    private readonly int _uid;
    private readonly int _gid;
    private readonly UnixFileMode _mode;

    private UntrustedFileLease(string path, int uid, int gid, UnixFileMode mode)
    {
        _path = path;
        _uid = uid;
        _gid = gid;
        _mode = mode;
    }

    public static UntrustedFileLease Lend(string path, ImageCheckAccount account)
    {
        var (uid, gid) = Native.OwnerOf(path) ?? throw new ImageException($"Image {path} refused: it cannot be read.");
        var mode = File.GetUnixFileMode(path);
        if (!Native.ChangeOwner(path, uid, account.Gid))
        {
            throw new ImageException($"Image {path} refused: it could not be handed to the image check (chown failed).");
        }

        File.SetUnixFileMode(path, mode | UnixFileMode.UserRead | UnixFileMode.GroupRead);
        return new UntrustedFileLease(path, uid, gid, mode);
    }

    public void Dispose()
    {
        if (File.Exists(_path))
        {
            Native.ChangeOwner(_path, _uid, _gid);
            File.SetUnixFileMode(_path, _mode);
        }
    }
}
