namespace WebVirt.Rules.Snapshots;

/// <summary>
/// RAM snapshots of VMs with encrypted disks. QEMU 7.2 writes the RAM state into the qcow2 in pieces that are not whole
/// encryption sectors and then aborts on its own assertion (qcow2_co_encdec: "QEMU_IS_ALIGNED(len, sector_size)"): the VM
/// dies. Putting the RAM anywhere unencrypted instead would leak what the disks protect (RAM holds their decrypted data).
/// So such a VM takes its snapshots without RAM, which work (live, atomically over its disks).
/// </summary>
public static class SnapshotMemoryRules
{
    public const string EncryptedDisksRefusal =
        "a VM with an encrypted disk cannot snapshot its RAM: QEMU 7.2 aborts when it writes RAM into an encrypted qcow2, "
        + "and RAM kept anywhere else would hold the disks' data unencrypted. Take the snapshot without memory.";
}
