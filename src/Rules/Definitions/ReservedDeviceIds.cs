namespace WebVirt.Rules.Definitions;

/// <summary>Device and node ids the QEMU command line uses itself; a definition may not give them to its devices.</summary>
public static class ReservedDeviceIds
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "qmp", "serial0", "qga0", "vserial0", "cdrom0", "scsi0", "ahci0", "balloon0", "rng0", "video0", "ovmfcode", "ovmfvars",
    };
}
