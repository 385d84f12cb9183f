using WebVirt.Shared.Vms;

namespace WebVirt.Web.Tests.Inventory;

/// <summary>Definitions for the inventory tests.</summary>
internal static class SampleVms
{
    /// <summary>Every property differs from its default (checked by <c>VmRecordMapperTests</c>).</summary>
    public static VmDefinition EveryField(Guid? uuid = null) => new()
    {
        Uuid = uuid ?? Guid.NewGuid(),
        Name = "web01",
        Cpu = new CpuTopology { Sockets = 2, Cores = 3, Threads = 2, Model = "Skylake-Server" },
        MemoryMiB = 3072,
        Machine = MachineType.I440fx,
        Firmware = Firmware.Ovmf,
        Disks =
        [
            new DiskDefinition
            {
                Id = "disk0",
                Path = "/var/lib/webvirt/images/web01-disk0.raw",
                Format = DiskFormat.Raw,
                Bus = DiskBus.Scsi,
                Cache = DiskCache.Writeback,
                Discard = false,
                ReadOnly = true,
                Encrypted = true,
                IoLimits = new DiskIoLimits { ReadBytesPerSecond = 100L << 20, WriteBytesPerSecond = 50L << 20, ReadIops = 2000, WriteIops = 1000 },
                BootOrder = 2,
            },
            new DiskDefinition { Id = "disk1", Path = "/var/lib/webvirt/images/web01-disk1.qcow2" },
        ],
        Cdrom = new CdromDefinition { IsoPath = "/var/lib/webvirt/iso/debian.iso", BootOrder = 1 },
        Nics =
        [
            new NicDefinition
            {
                Id = "net0",
                MacAddress = "52:54:00:12:34:56",
                Model = NicModel.E1000,
                Mode = NicMode.Tap,
                TapDevice = "tap-web01",
                PortForwards =
                [
                    new PortForward { Protocol = PortForwardProtocol.Udp, HostAddress = "0.0.0.0", HostPort = 5353, GuestPort = 53 },
                    new PortForward { HostPort = 2222, GuestPort = 22 },
                ],
                BootOrder = 3,
            },
            new NicDefinition { Id = "net1", MacAddress = "52:54:00:ab:cd:ef" },
        ],
        Display = new DisplayDefinition { Adapter = DisplayAdapter.VirtioGpu, Vnc = false },
        SerialConsole = false,
        GuestAgent = false,
        Autostart = true,
        StartOrder = 3,
        IsTemplate = true,
        ShutdownTimeoutSeconds = 180,
    };

    /// <summary>Only what is required; everything else at its default.</summary>
    public static VmDefinition Minimal(string name = "minimal", Guid? uuid = null) =>
        new() { Uuid = uuid ?? Guid.NewGuid(), Name = name };
}
