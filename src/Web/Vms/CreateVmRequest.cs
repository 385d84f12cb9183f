using WebVirt.Shared.Vms;

namespace WebVirt.Web.Vms;

/// <summary>What a user asks for when creating a VM; the panel turns it into a full <see cref="VmDefinition"/>.</summary>
public sealed record CreateVmRequest
{
    public string? Name { get; init; }

    /// <summary>The host to create it on; may be left out when the panel manages a single host.</summary>
    public Guid? HostId { get; init; }

    public int Sockets { get; init; } = 1;
    public int Cores { get; init; } = 1;
    public int MemoryMiB { get; init; } = 1024;
    public MachineType Machine { get; init; } = MachineType.Q35;
    public Firmware Firmware { get; init; } = Firmware.SeaBios;
    public IReadOnlyList<CreateDiskRequest> Disks { get; init; } = [];

    /// <summary>Absolute path of an ISO on the host, booted first; null for an empty CD-ROM drive.</summary>
    public string? CdromIsoPath { get; init; }

    public IReadOnlyList<CreateNicRequest> Nics { get; init; } = [new CreateNicRequest()];
    public bool Autostart { get; init; }
    public int ShutdownTimeoutSeconds { get; init; } = 60;
    public string? Description { get; init; }
}
