namespace WebVirt.Hypervisor.Configuration;

/// <summary>Host-side settings for running VMs, bound from the <c>Hypervisor</c> configuration section.</summary>
public sealed class HypervisorOptions
{
    public const string SectionName = "Hypervisor";

    /// <summary>Where each VM keeps its definition, logs and firmware variables (one folder per VM).</summary>
    public string DataDirectory { get; set; } = "data/host";

    /// <summary>
    /// Where each VM's sockets and pidfile live (one 0700 folder per VM). Kept short because unix socket
    /// paths are limited to 107 bytes; null picks /run/webvirt as root, else a folder under the user's runtime dir.
    /// </summary>
    public string? RunDirectory { get; set; }

    public string QemuBinary { get; set; } = "qemu-system-x86_64";

    public string OvmfCodePath { get; set; } = "/usr/share/OVMF/OVMF_CODE_4M.fd";

    public string OvmfVarsTemplatePath { get; set; } = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    /// <summary>
    /// Unprivileged account QEMU runs as when the agent runs as root. Null or empty keeps QEMU as the
    /// agent's own user (only sensible when the agent itself is unprivileged).
    /// </summary>
    public string? QemuUser { get; set; } = "webvirt-qemu";

    /// <summary>
    /// Whether each VM's QEMU runs as a user id of its own (from <see cref="FirstVmUid"/> on) rather than as
    /// <see cref="QemuUser"/> itself; its group and supplementary groups stay <see cref="QemuUser"/>'s.
    /// </summary>
    public bool PerVmUid { get; set; } = true;

    /// <summary>The first of the user ids given to VMs; no account of the host may use the range.</summary>
    public int FirstVmUid { get; set; } = 2_000_000_000;

    /// <summary>How many user ids the VMs' range holds; ids are never reused.</summary>
    public int VmUidCount { get; set; } = 100_000_000;

    /// <summary>
    /// The user id qemu-img runs as when it parses an untrusted image (an upload, a download, an existing file
    /// offered as a disk), in the group of <see cref="QemuUser"/>; by default the one just below
    /// <see cref="FirstVmUid"/>, which no VM gets. Only when the agent runs as root and <see cref="QemuUser"/> exists.
    /// </summary>
    public int? ImageCheckUid { get; set; }

    /// <summary>Upper bound of TCG's translation cache per VM, which otherwise grows to hundreds of MiB.</summary>
    public int? TcgTranslationCacheMiB { get; set; } = 64;

    /// <summary>Forces the accelerator instead of probing (tests, or a host where the probe is wrong).</summary>
    public WebVirt.Shared.Hosts.Accelerator? ForceAccelerator { get; set; }

    /// <summary>How long a start may take until QMP answers before it counts as failed.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The host's tap devices that VMs' tap NICs may name (pre-created and plugged into a bridge by the administrator); none by default.</summary>
    public string[]? AllowedTapDevices { get; set; }

    /// <summary>Which addresses and ports VMs' port forwards may listen on.</summary>
    public WebVirt.Hypervisor.PortForwards.PortForwardOptions PortForwards { get; set; } = new();
}
