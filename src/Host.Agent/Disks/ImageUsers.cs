using WebVirt.Host.Agent.Vms;
using WebVirt.Hypervisor.Images;
using WebVirt.Shared.Vms;

namespace WebVirt.Host.Agent.Disks;

/// <summary>
/// Who uses an image on this host (a VM's disk or CD-ROM, an overlay built on it): what keeps an image from being
/// deleted, moved or taken by another disk.
/// </summary>
internal sealed class ImageUsers(VmRegistry registry, DiskPlacement placement)
{
    /// <summary>The first VM whose disk or CD-ROM path matches, described for a refusal; null when none.</summary>
    public string? UserOf(Func<string, bool> matches)
    {
        foreach (var entry in registry.Entries())
        {
            if (entry.Definition is not { } definition)
            {
                continue;
            }

            if (definition.Cdrom?.IsoPath is { } iso && matches(iso))
            {
                return $"VM '{entry.Name}' has '{Path.GetFileName(iso)}' in its CD-ROM drive";
            }

            if (definition.Disks.FirstOrDefault(d => matches(d.Path)) is { } disk)
            {
                return $"VM '{entry.Name}' uses '{Path.GetFileName(disk.Path)}' as disk {disk.Id}";
            }
        }

        return null;
    }

    /// <summary>Names of the VMs on this host with a disk whose qcow2 backing file is one of <paramref name="definition"/>'s disks.</summary>
    public List<string> LinkedClonesOf(VmDefinition definition)
    {
        var disks = definition.Disks.Select(d => Path.GetFullPath(d.Path)).ToHashSet(StringComparer.Ordinal);
        return registry.Entries()
            .Where(e => e.Uuid != definition.Uuid && e.Definition is { } other
                && other.Disks.Any(d => d.Format == DiskFormat.Qcow2 && BackingFileReader.Read(d.Path) is { } backing
                    && disks.Contains(Path.GetFullPath(backing, Path.GetDirectoryName(d.Path)!))))
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Why the disk's image must outlive the disk (outside the pools, used by another VM, a base of other images), or null.</summary>
    public string? WhyKeepImage(VmDefinition definition, DiskDefinition disk)
    {
        if (!placement.Contains(disk.Path))
        {
            return "it lies outside this host's pools";
        }

        if (registry.Entries().FirstOrDefault(e => e.Uuid != definition.Uuid && e.Definition is { } other && other.Disks.Any(d => d.Path == disk.Path)) is { } user)
        {
            return $"VM '{user.Name}' uses it too";
        }

        return ImagesBackedBy(disk.Path) is { Count: > 0 } overlays ? $"it is the backing file of {string.Join(", ", overlays)}" : null;
    }

    /// <summary>The disks on this host (as "VM 'x' disk y") whose qcow2 image names <paramref name="path"/> as its backing file.</summary>
    public List<string> ImagesBackedBy(string path)
    {
        var full = Path.GetFullPath(path);
        return [.. registry.Entries()
            .SelectMany(e => (e.Definition?.Disks ?? []).Select(d => (Entry: e, Disk: d)))
            .Where(x => x.Disk.Format == DiskFormat.Qcow2 && x.Disk.Path != path && BackingFileReader.Read(x.Disk.Path) is { } backing
                && Path.GetFullPath(backing, Path.GetDirectoryName(x.Disk.Path)!) == full)
            .Select(x => $"VM '{x.Entry.Name}' disk {x.Disk.Id}")];
    }
}
