namespace WebVirt.Shared.Vms;

public enum DiskFormat
{
    Qcow2,
    Raw,
}
