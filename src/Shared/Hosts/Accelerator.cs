namespace WebVirt.Shared.Hosts;

public enum Accelerator
{
    /// <summary>Hardware virtualisation through /dev/kvm.</summary>
    Kvm,

    /// <summary>QEMU's software emulation: correct but many times slower.</summary>
    Tcg,
}
