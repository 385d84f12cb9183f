namespace WebVirt.Shared.Vms;

public enum DiskBus
{
    Virtio,
    Sata,
    Scsi,
}
