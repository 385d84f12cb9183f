using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// The one name an image the agent creates for a VM may have: <c>&lt;vm uuid&gt;-&lt;disk id&gt;.&lt;ext&gt;</c>, directly in a
/// pool, so that no user string (a VM's name) ever becomes a file or folder name.
/// </summary>
internal static class DiskImageNames
{
    public static string FileName(Guid vm, string diskId, DiskFormat format) => $"{vm:D}-{diskId}.{Extension(format)}";

    public static string Extension(DiskFormat format) => format == DiskFormat.Qcow2 ? "qcow2" : "raw";

    /// <summary>Null when <paramref name="disk"/>'s image is named after <paramref name="vm"/> and the disk, else why not (what it should be).</summary>
    public static string? CheckNamed(Guid vm, DiskDefinition disk)
    {
        var expected = FileName(vm, disk.Id, disk.Format);
        return Path.GetFileName(disk.Path) == expected
            ? null
            : $"a new image is named '{expected}' (the VM's UUID and the disk's id), directly in a pool, not '{Path.GetFileName(disk.Path)}'";
    }
}
