namespace WebVirt.TestSupport;

/// <summary>
/// The small Linux guest that tests/guest/build.sh makes from Debian packages. Tests that need it fail
/// (never skip) with the command that builds it when it is missing.
/// </summary>
public sealed class TestGuest
{
    public const string ReadyLine = "WEBVIRT-GUEST-READY";
    public const string PowerOffLine = "WEBVIRT-GUEST-POWEROFF";
    public const string CtrlAltDelLine = "WEBVIRT-GUEST-CTRLALTDEL";
    public const string DefaultCache = "/var/cache/webvirt/test-guest/current";

    private TestGuest(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string IsoPath => Path.Combine(Directory, "webvirt-guest.iso");

    public string KernelPath => Path.Combine(Directory, "vmlinuz");

    public string InitrdPath => Path.Combine(Directory, "initrd.gz");

    /// <summary>
    /// A copy of the guest's ISO in <paramref name="pool"/> (made once), since agents only hand QEMU ISOs that lie
    /// in one of their pools.
    /// </summary>
    public string CopyIsoInto(string pool)
    {
        System.IO.Directory.CreateDirectory(pool);
        var copy = Path.Combine(pool, Path.GetFileName(IsoPath));
        if (!File.Exists(copy))
        {
            var partial = copy + $".{Guid.NewGuid():N}.tmp";
            File.Copy(IsoPath, partial);
            File.Move(partial, copy, overwrite: true);
        }

        return copy;
    }

    public static TestGuest Locate()
    {
        var directory = Environment.GetEnvironmentVariable("WEBVIRT_TEST_GUEST");
        if (string.IsNullOrEmpty(directory))
        {
            directory = DefaultCache;
        }

        var guest = new TestGuest(directory);
        if (!File.Exists(guest.IsoPath))
        {
            throw new InvalidOperationException(
                $"The test guest is not built ({guest.IsoPath} is missing): run tests/guest/build.sh, or ./test.sh which builds it.");
        }

        return guest;
    }
}
