using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Pages.Vms.Disks;

/// <summary>I/O limits as a form edits them: MiB/s and IOPS, empty = unlimited.</summary>
public sealed class IoLimitsDraft
{
    private const long MiB = 1024 * 1024;

    public long? ReadMiBps { get; set; }
    public long? WriteMiBps { get; set; }
    public long? ReadIops { get; set; }
    public long? WriteIops { get; set; }

    public static IoLimitsDraft From(DiskIoLimits? limits) => new()
    {
        ReadMiBps = limits?.ReadBytesPerSecond / MiB,
        WriteMiBps = limits?.WriteBytesPerSecond / MiB,
        ReadIops = limits?.ReadIops,
        WriteIops = limits?.WriteIops,
    };

    public DiskIoLimits? ToLimits()
    {
        var limits = new DiskIoLimits
        {
            ReadBytesPerSecond = ReadMiBps * MiB,
            WriteBytesPerSecond = WriteMiBps * MiB,
            ReadIops = ReadIops,
            WriteIops = WriteIops,
        };
        return limits.IsUnlimited ? null : limits;
    }
}
