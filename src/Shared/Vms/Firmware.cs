namespace WebVirt.Shared.Vms;

public enum Firmware
{
    SeaBios,
    Ovmf,
}
