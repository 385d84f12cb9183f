using System.Security.Cryptography;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Agents;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>
/// Turns a <see cref="CreateVmRequest"/> into a full definition for one host: a new UUID, disk images in the
/// host's image pool named after the UUID (never after user input), fresh locally administered MACs.
/// </summary>
internal static class VmDefinitionFactory
{
    public const long MaxDiskMiB = 64L * 1024 * 1024;

    /// <summary>
    /// The definition for the request, or the reasons it cannot be; with the host's memory (<paramref name="hostMemoryBytes"/>,
    /// null when unknown) a VM larger than the host is refused here rather than failing at its first start.
    /// </summary>
    public static (VmDefinition? Definition, IReadOnlyList<NewDisk> NewDisks, IReadOnlyList<string> Errors) Create(
        CreateVmRequest request, string imagePool, long? hostMemoryBytes = null, string hostName = "")
    {
        var errors = new List<string>();
        if (HostMemoryRule.Refusal(request.MemoryMiB, hostMemoryBytes, hostName) is { } tooLarge)
        {
            errors.Add(tooLarge);
        }

        if (request.Description is { Length: > VmOperations.MaxDescriptionLength })
        {
            errors.Add($"description: at most {VmOperations.MaxDescriptionLength} characters");
        }

        var uuid = Guid.NewGuid();
        var disks = new List<DiskDefinition>();
        var newDisks = new List<NewDisk>();
        for (var i = 0; i < request.Disks.Count; i++)
        {
            var disk = request.Disks[i];
            if (disk.SizeMiB is < 1 or > MaxDiskMiB)
            {
                errors.Add($"disks[{i}].sizeMiB: must be between 1 MiB and {MaxDiskMiB} MiB (64 TiB)");
            }

            var id = $"disk{i}";
            var extension = disk.Format == DiskFormat.Qcow2 ? "qcow2" : "raw";
            disks.Add(new DiskDefinition
            {
                Id = id,
                Path = $"{imagePool.TrimEnd('/')}/{uuid:D}-{id}.{extension}",
                Format = disk.Format,
                Bus = disk.Bus,
                Cache = disk.Cache,
                Encrypted = disk.Encrypted,
                BootOrder = i == 0 ? 2 : null,
            });
            newDisks.Add(new NewDisk(id, disk.SizeMiB * 1024 * 1024));
        }

        var definition = new VmDefinition
        {
            Uuid = uuid,
            Name = request.Name ?? "",
            Cpu = new CpuTopology { Sockets = request.Sockets, Cores = request.Cores },
            MemoryMiB = request.MemoryMiB,
            Machine = request.Machine,
            Firmware = request.Firmware,
            Disks = disks,
            Cdrom = new CdromDefinition { IsoPath = request.CdromIsoPath, BootOrder = request.CdromIsoPath is null ? null : 1 },
            Nics = request.Nics.Select((nic, i) => new NicDefinition
            {
                Id = $"net{i}",
                MacAddress = NewMacAddress(),
                Model = nic.Model,
                Mode = nic.Mode,
                TapDevice = nic.TapDevice,
                PortForwards = nic.PortForwards,
            }).ToList(),
            Autostart = request.Autostart,
            ShutdownTimeoutSeconds = request.ShutdownTimeoutSeconds,
        };

        errors.AddRange(DefinitionValidator.Validate(definition).Select(e => e.ToString()));
        return errors.Count == 0 ? (definition, newDisks, errors) : (null, [], errors);
    }

    /// <summary>QEMU's 52:54:00 prefix with three random bytes, as Proxmox and libvirt hand out.</summary>
    public static string NewMacAddress()
    {
        Span<byte> bytes = stackalloc byte[3];
        RandomNumberGenerator.Fill(bytes);
        return $"52:54:00:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}";
    }
}
