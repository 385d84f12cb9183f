namespace WebVirt.Shared.Vms;

/// <summary>QEMU cache modes, named as Proxmox names them.</summary>
public enum DiskCache
{
    /// <summary>O_DIRECT, no host page cache: safe and the usual default.</summary>
    None,
    Writeback,
    Writethrough,
    DirectSync,
    Unsafe,
}
