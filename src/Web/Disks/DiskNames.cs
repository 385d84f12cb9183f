using WebVirt.Shared.Vms;

namespace WebVirt.Web.Disks;

/// <summary>The ids and image file names the panel gives new disks; never taken from user input.</summary>
internal static class DiskNames
{
    /// <summary>The lowest <c>disk{n}</c> not used by the VM (now or in its pending changes) and whose image name is free in the pool.</summary>
    public static string NextId(IEnumerable<string> usedIds, Guid vmId, DiskFormat format, IReadOnlySet<string> poolFileNames)
    {
        var used = usedIds.ToHashSet(StringComparer.Ordinal);
        for (var n = 0; ; n++)
        {
            var id = $"disk{n}";
            if (!used.Contains(id) && !poolFileNames.Contains(ImageFileName(vmId, id, format)))
            {
                return id;
            }
        }
    }

    public static string ImageFileName(Guid vmId, string diskId, DiskFormat format) => $"{vmId:D}-{diskId}.{Extension(format)}";

    /// <summary>The VM an image belongs to by its name (<c>{vm uuid}-…</c>, as <see cref="ImageFileName"/> makes it); null for any other name.</summary>
    public static Guid? OwnerOf(string fileName) =>
        fileName.Length > 37 && fileName[36] == '-' && Guid.TryParseExact(fileName.AsSpan(0, 36), "D", out var owner) ? owner : null;

    public static string Extension(DiskFormat format) => format == DiskFormat.Qcow2 ? "qcow2" : "raw";

    public static string PathIn(string poolPath, string fileName) => $"{poolPath.TrimEnd('/')}/{fileName}";
}
