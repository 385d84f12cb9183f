using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.Images;

internal static class DiskFormatNames
{
    public static string ToQemuName(this DiskFormat format) => format switch
    {
        DiskFormat.Qcow2 => "qcow2",
        DiskFormat.Raw => "raw",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown disk format."),
    };
}
