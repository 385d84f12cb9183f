namespace WebVirt.Shared.Vms;

public enum MachineType
{
    Q35,
    I440fx,
}
