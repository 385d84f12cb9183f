namespace WebVirt.Shared.Vms;

public enum NicModel
{
    Virtio,
    E1000,
}
