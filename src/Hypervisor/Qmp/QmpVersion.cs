namespace WebVirt.Hypervisor.Qmp;

/// <summary>The QEMU version announced in the QMP greeting.</summary>
public sealed record QmpVersion(int Major, int Minor, int Micro, string Package)
{
    public override string ToString() => $"{Major}.{Minor}.{Micro}";
}
