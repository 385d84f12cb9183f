using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Vms;

namespace WebVirt.TestSupport;

public static class TestDefinitions
{
    public static readonly Guid Uuid = Guid.Parse("0b9f3c8e-6a51-4d2b-9b1e-3f2a7c4d5e6f");

    public static VmDefinition Full() => new()
    {
        Uuid = Uuid,
        Name = "web-01",
        Cpu = new CpuTopology { Sockets = 1, Cores = 2 },
        MemoryMiB = 512,
        Disks =
        [
            new DiskDefinition { Id = "disk0", Path = "/var/lib/webvirt/images/web-01.qcow2", BootOrder = 2 },
            new DiskDefinition { Id = "disk1", Path = "/var/lib/webvirt/images/data.raw", Format = DiskFormat.Raw, Bus = DiskBus.Sata },
            new DiskDefinition { Id = "disk2", Path = "/var/lib/webvirt/images/scsi.qcow2", Bus = DiskBus.Scsi, Cache = DiskCache.Writeback },
        ],
        Cdrom = new CdromDefinition { IsoPath = "/var/lib/webvirt/iso/debian.iso", BootOrder = 1 },
        Nics =
        [
            new NicDefinition
            {
                Id = "net0",
                MacAddress = "52:54:00:12:34:56",
                PortForwards = [new PortForward { HostPort = 2222, GuestPort = 22 }],
            },
        ],
    };

    public static VmPaths Paths() => VmPaths.Create(Uuid, "/run/webvirt", "/var/lib/webvirt/vms");

    public static HypervisorOptions Options() => new();
}
