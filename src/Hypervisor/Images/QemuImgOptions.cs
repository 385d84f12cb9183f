namespace WebVirt.Hypervisor.Images;

public sealed class QemuImgOptions
{
    /// <summary>The qemu-img executable: a bare name is looked up on PATH.</summary>
    public string Path { get; set; } = "qemu-img";

    /// <summary>Address space of qemu-img reading an untrusted image (prlimit --as); qemu-img info needs a few dozen MiB.</summary>
    public long UntrustedMemoryBytes { get; set; } = 1L << 30;

    /// <summary>CPU seconds of qemu-img reading an untrusted image (prlimit --cpu).</summary>
    public int UntrustedCpuSeconds { get; set; } = 30;

    /// <summary>
    /// The unprivileged account qemu-img drops to when it reads an untrusted image (setpriv), or null to stay the
    /// caller's. The image is lent to its group for the check (<see cref="UntrustedFileLease"/>).
    /// </summary>
    public ImageCheckAccount? UntrustedAccount { get; set; }
}
