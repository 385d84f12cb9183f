using WebVirt.Shared.Vms;

namespace WebVirt.Web.Components.Pages.Vms.Disks;

/// <summary>Disk settings in the words the disk pages use.</summary>
internal static class DiskText
{
    public static string Cache(DiskCache cache) => cache switch
    {
        DiskCache.None => "No cache (default)",
        DiskCache.Writeback => "Write back",
        DiskCache.Writethrough => "Write through",
        DiskCache.DirectSync => "Direct sync",
        _ => "Unsafe (no flushes)",
    };

    public static string CacheShort(DiskCache cache) => cache switch
    {
        DiskCache.None => "none",
        DiskCache.Writeback => "writeback",
        DiskCache.Writethrough => "writethrough",
        DiskCache.DirectSync => "directsync",
        _ => "unsafe",
    };

    public static string Format(DiskFormat format) => format == DiskFormat.Qcow2 ? "qcow2" : "raw";
}
