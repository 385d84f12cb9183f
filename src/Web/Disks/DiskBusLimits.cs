using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;

namespace WebVirt.Web.Disks;

/// <summary>How many more disks each bus of a VM takes: the validator's limits, for pickers that disable a full bus.</summary>
internal static class DiskBusLimits
{
    public static int Capacity(VmDefinition definition, DiskBus bus) => bus switch
    {
        DiskBus.Sata => DefinitionValidator.Q35SataPorts - (definition.Cdrom is null ? 0 : 1),
        DiskBus.Scsi => DefinitionValidator.MaxScsiDisks,
        _ => DefinitionValidator.MaxVirtioDisks,
    };

    /// <summary>Free places on <paramref name="bus"/>, counting the disk <paramref name="movingId"/> (if any) as not on it.</summary>
    public static int Free(VmDefinition definition, DiskBus bus, string? movingId = null) =>
        Capacity(definition, bus) - definition.Disks.Count(d => d.Bus == bus && d.Id != movingId);

    public static string Label(DiskBus bus) => bus switch
    {
        DiskBus.Sata => "SATA",
        DiskBus.Scsi => "SCSI",
        _ => "VirtIO",
    };
}
