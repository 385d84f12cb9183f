using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Images;
using WebVirt.Hypervisor.Processes;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;

namespace WebVirt.Hypervisor.CommandLine;

/// <summary>
/// Turns a validated <see cref="VmDefinition"/> into QEMU's argument list (an argv, never a shell line).
/// User-controlled strings only ever appear as escaped values inside an option, never as an argument of
/// their own, so none of them can add an option.
/// </summary>
public static class QemuCommandLine
{
    /// <summary>
    /// Every seccomp deny flag: QEMU is started in the foreground of its own session (no -daemonize) and
    /// dropped to its user before exec (no -runas), the launch mode in which QEMU 7.2 accepts all four.
    /// </summary>
    public const string SandboxPolicy = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

    /// <summary>
    /// Empty PCIe root ports a q35 VM gets for hot-plugged disks, as Proxmox adds them: q35's root bus takes no
    /// hot-plug. Their ids contain '-', which definition ids cannot, so they never clash.
    /// </summary>
    public const int HotplugPorts = 4;

    /// <summary>The qdev id of the <paramref name="index"/>-th hot-plug root port of a q35 VM.</summary>
    public static string HotplugPortId(int index) => $"hotplug-{index}";

    /// <summary>The QOM id of the throttle group of a disk with I/O limits (a '-' keeps it apart from definition ids).</summary>
    public static string ThrottleGroupId(string diskId) => diskId + "-limits";

    /// <summary>The throttle filter node between a limited disk's format node and its device.</summary>
    public static string ThrottleNodeName(string diskId) => diskId + "-throttle";

    /// <summary>The id of the secret object that holds an encrypted disk's key in a running QEMU (a backup job's target reuses it).</summary>
    public static string DiskSecretId(string diskId) => diskId + "-secret";

    public static IReadOnlyList<string> Build(VmDefinition definition, VmPaths paths, Accelerator accelerator, HypervisorOptions options)
    {
        DefinitionValidator.EnsureValid(definition);
        var args = new List<string>();
        void Option(string name, string value)
        {
            args.Add(name);
            args.Add(value);
        }

        Option("-name", new QemuOptionString().Add("guest", definition.Name).Add("debug-threads", true).ToString());
        Option("-uuid", definition.Uuid.ToString("D"));
        args.Add("-no-user-config");
        args.Add("-nodefaults");
        args.Add("-no-shutdown");
        Option("-sandbox", SandboxPolicy);
        Option("-msg", "timestamp=on");
        Option("-pidfile", paths.PidFile);

        AddMachine(definition, paths, accelerator, options, Option);
        AddCpuAndMemory(definition, accelerator, Option);
        AddMonitor(paths, Option);
        AddDisplay(definition, paths, Option);
        AddSerial(definition, paths, Option);
        AddGuestAgent(definition, paths, Option);
        AddHotplugPorts(definition, Option);
        AddDisks(definition, paths, Option);
        AddCdrom(definition, Option);
        AddNics(definition, Option);

        Option("-device", new QemuOptionString("virtio-balloon-pci").Add("id", "balloon0").Add("free-page-reporting", true).ToString());
        Option("-object", new QemuOptionString("rng-random").Add("id", "rng0").Add("filename", "/dev/urandom").ToString());
        Option("-device", new QemuOptionString("virtio-rng-pci").Add("rng", "rng0").ToString());
        Option("-rtc", "base=utc");
        return args;
    }

    private static void AddMachine(VmDefinition definition, VmPaths paths, Accelerator accelerator, HypervisorOptions options, Action<string, string> option)
    {
        var machine = new QemuOptionString(definition.Machine == MachineType.Q35 ? "q35" : "pc");
        if (definition.Firmware == Firmware.Ovmf)
        {
            CheckHostPath("Hypervisor:OvmfCodePath", options.OvmfCodePath);
            option("-blockdev", new QemuOptionString().Add("driver", "file").Add("filename", options.OvmfCodePath)
                .Add("node-name", "ovmfcode-file").Add("read-only", true).ToString());
            option("-blockdev", new QemuOptionString().Add("driver", "raw").Add("file", "ovmfcode-file")
                .Add("node-name", "ovmfcode").Add("read-only", true).ToString());

            // VARS are qcow2 so that snapshots of a UEFI VM include them (a raw pflash cannot be snapshotted).
            option("-blockdev", new QemuOptionString().Add("driver", "file").Add("filename", paths.OvmfVars)
                .Add("node-name", "ovmfvars-file").ToString());
            option("-blockdev", new QemuOptionString().Add("driver", "qcow2").Add("file", "ovmfvars-file")
                .Add("node-name", "ovmfvars").ToString());
            machine.Add("pflash0", "ovmfcode").Add("pflash1", "ovmfvars");
        }

        option("-machine", machine.ToString());

        // Exactly one accelerator: a fallback list only helps when KVM fails to initialise, not when it
        // initialises and then fails, as on nested hosts (see QEMU-NOTES.md). The probe decides.
        var accel = new QemuOptionString(accelerator == Accelerator.Kvm ? "kvm" : "tcg");
        if (accelerator == Accelerator.Tcg && options.TcgTranslationCacheMiB is { } tbSize)
        {
            accel.Add("tb-size", tbSize);
        }

        option("-accel", accel.ToString());
    }

    private static void AddCpuAndMemory(VmDefinition definition, Accelerator accelerator, Action<string, string> option)
    {
        // 'host' passes the real CPU through and needs KVM; 'max' is TCG's closest equivalent.
        option("-cpu", definition.Cpu.Model ?? (accelerator == Accelerator.Kvm ? "host" : "max"));
        option("-smp", new QemuOptionString().Add("cpus", definition.Cpu.VcpuCount).Add("sockets", definition.Cpu.Sockets)
            .Add("cores", definition.Cpu.Cores).Add("threads", definition.Cpu.Threads).ToString());
        option("-m", new QemuOptionString().Add("size", $"{definition.MemoryMiB}M").ToString());
    }

    private static void AddMonitor(VmPaths paths, Action<string, string> option)
    {
        option("-chardev", UnixServer("qmp", paths.QmpSocket).ToString());
        option("-mon", "chardev=qmp,mode=control");
    }

    private static void AddDisplay(VmDefinition definition, VmPaths paths, Action<string, string> option)
    {
        option("-display", "none");
        switch (definition.Display.Adapter)
        {
            case DisplayAdapter.Std:
                option("-device", "VGA,id=video0");
                break;
            case DisplayAdapter.VirtioGpu:
                option("-device", "virtio-vga,id=video0");
                break;
        }

        if (definition.Display.Vnc && definition.Display.Adapter != DisplayAdapter.None)
        {
            // A unix socket only: the panel's authenticated relay is the one way in. No power-control: it would
            // let anyone with the console (VM.Console, or a share link) reset or power off the VM over VNC,
            // which needs VM.PowerMgmt through the panel. No -k: noVNC sends scancodes.
            option("-vnc", new QemuOptionString("unix:" + paths.VncSocket).ToString());
        }
    }

    private static void AddSerial(VmDefinition definition, VmPaths paths, Action<string, string> option)
    {
        if (!definition.SerialConsole)
        {
            return;
        }

        option("-chardev", UnixServer("serial0", paths.SerialSocket)
            .Add("logfile", paths.SerialLog).Add("logappend", true).ToString());
        option("-serial", "chardev:serial0");
    }

    private static void AddGuestAgent(VmDefinition definition, VmPaths paths, Action<string, string> option)
    {
        if (!definition.GuestAgent)
        {
            return;
        }

        option("-device", "virtio-serial-pci,id=vserial0");
        option("-chardev", UnixServer("qga0", paths.GuestAgentSocket).ToString());
        option("-device", "virtserialport,bus=vserial0.0,chardev=qga0,name=org.qemu.guest_agent.0");
    }

    private static void AddDisks(VmDefinition definition, VmPaths paths, Action<string, string> option)
    {
        if (definition.Disks.Any(d => d.Bus == DiskBus.Scsi))
        {
            option("-device", "virtio-scsi-pci,id=scsi0");
        }

        if (definition.Machine == MachineType.I440fx && definition.Disks.Any(d => d.Bus == DiskBus.Sata))
        {
            option("-device", "ahci,id=ahci0");
        }

        var sataPort = 0;
        foreach (var disk in definition.Disks)
        {
            if (disk.Encrypted)
            {
                // QEMU reads the key from a file: a key in data= would show in /proc/*/cmdline.
                option("-object", new QemuOptionString("secret").Add("id", DiskSecretId(disk.Id)).Add("file", paths.DiskKeyFile(disk.Id)).ToString());
            }

            var (direct, noFlush, writeCache) = CacheFlags(disk.Cache);
            option("-blockdev", new QemuOptionString().Add("driver", "file").Add("filename", disk.Path)
                .Add("node-name", disk.Id + "-file").Add("cache.direct", direct).Add("cache.no-flush", noFlush)
                .Add("discard", disk.Discard ? "unmap" : "ignore").Add("read-only", disk.ReadOnly).ToString());
            var format = new QemuOptionString().Add("driver", disk.Format == DiskFormat.Qcow2 ? "qcow2" : "raw")
                .Add("file", disk.Id + "-file").Add("node-name", disk.Id).Add("cache.direct", direct)
                .Add("cache.no-flush", noFlush).Add("discard", disk.Discard ? "unmap" : "ignore")
                .Add("read-only", disk.ReadOnly);
            if (disk.Encrypted)
            {
                format.Add("encrypt.format", "luks").Add("encrypt.key-secret", DiskSecretId(disk.Id));

                // A linked clone of an encrypted template: its backing images need the key named too.
                EncryptedImageOptions.AddBackingChain(format, disk.Path, DiskSecretId(disk.Id));
            }

            option("-blockdev", format.ToString());
            var deviceNode = AddThrottle(disk, option);

            var device = disk.Bus switch
            {
                DiskBus.Virtio => new QemuOptionString("virtio-blk-pci"),
                DiskBus.Scsi => new QemuOptionString("scsi-hd").Add("bus", "scsi0.0"),
                _ => new QemuOptionString("ide-hd").Add("bus", SataBus(definition.Machine, sataPort++)),
            };
            device.Add("drive", deviceNode).Add("id", disk.Id).Add("write-cache", writeCache);
            AddBootIndex(device, disk.BootOrder);
            option("-device", device.ToString());
        }
    }

    /// <summary>
    /// A disk with I/O limits gets its own throttle group (changed live with qom-set of its 'limits') and a
    /// throttle filter on top of its format node, which keeps the disk's id as node name for snapshots,
    /// backups and block_resize. Returns the node the device attaches to.
    /// </summary>
    private static string AddThrottle(DiskDefinition disk, Action<string, string> option)
    {
        if (disk.IoLimits is not { IsUnlimited: false } limits)
        {
            return disk.Id;
        }

        option("-object", ThrottleGroup(ThrottleGroupId(disk.Id), limits).ToString());
        option("-blockdev", new QemuOptionString().Add("driver", "throttle").Add("node-name", ThrottleNodeName(disk.Id))
            .Add("file", disk.Id).Add("throttle-group", ThrottleGroupId(disk.Id)).ToString());
        return ThrottleNodeName(disk.Id);
    }

    /// <summary>A throttle-group object; an absent limit is 0, which QEMU reads as unlimited.</summary>
    internal static QemuOptionString ThrottleGroup(string id, DiskIoLimits limits) =>
        new QemuOptionString("throttle-group").Add("id", id)
            .Add("x-bps-read", limits.ReadBytesPerSecond ?? 0).Add("x-bps-write", limits.WriteBytesPerSecond ?? 0)
            .Add("x-iops-read", limits.ReadIops ?? 0).Add("x-iops-write", limits.WriteIops ?? 0);

    private static void AddHotplugPorts(VmDefinition definition, Action<string, string> option)
    {
        if (definition.Machine != MachineType.Q35)
        {
            return;
        }

        // Chassis numbers only need to be unique per VM; slots follow them.
        for (var i = 0; i < HotplugPorts; i++)
        {
            option("-device", new QemuOptionString("pcie-root-port").Add("id", HotplugPortId(i))
                .Add("chassis", i + 1).Add("slot", i + 1).ToString());
        }
    }

    private static void AddCdrom(VmDefinition definition, Action<string, string> option)
    {
        if (definition.Cdrom is not { } cdrom)
        {
            return;
        }

        // q35's built-in AHCI is named 'ide': the CD-ROM takes the port after the SATA disks. On i440fx
        // it sits where Proxmox puts it, the secondary IDE master.
        var device = definition.Machine == MachineType.Q35
            ? new QemuOptionString("ide-cd").Add("bus", $"ide.{definition.Disks.Count(d => d.Bus == DiskBus.Sata)}")
            : new QemuOptionString("ide-cd").Add("bus", "ide.1").Add("unit", 0);
        device.Add("id", "cdrom0");

        if (cdrom.IsoPath is { } iso)
        {
            option("-blockdev", new QemuOptionString().Add("driver", "file").Add("filename", iso)
                .Add("node-name", "cdrom0-file").Add("read-only", true).ToString());
            option("-blockdev", new QemuOptionString().Add("driver", "raw").Add("file", "cdrom0-file")
                .Add("node-name", "cdrom0-media").Add("read-only", true).ToString());
            device.Add("drive", "cdrom0-media");
        }

        AddBootIndex(device, cdrom.BootOrder);
        option("-device", device.ToString());
    }

    private static void AddNics(VmDefinition definition, Action<string, string> option)
    {
        foreach (var nic in definition.Nics)
        {
            var netdev = nic.Mode == NicMode.User
                ? new QemuOptionString("user").Add("id", nic.Id)
                : new QemuOptionString("tap").Add("id", nic.Id).Add("ifname", nic.TapDevice!)
                    .Add("script", "no").Add("downscript", "no");
            foreach (var forward in nic.PortForwards)
            {
                var protocol = forward.Protocol == PortForwardProtocol.Tcp ? "tcp" : "udp";
                netdev.Add("hostfwd", $"{protocol}:{forward.HostAddress}:{forward.HostPort}-:{forward.GuestPort}");
            }

            option("-netdev", netdev.ToString());

            var device = new QemuOptionString(nic.Model == NicModel.Virtio ? "virtio-net-pci" : "e1000")
                .Add("netdev", nic.Id).Add("id", nic.Id).Add("mac", nic.MacAddress.ToLowerInvariant());
            AddBootIndex(device, nic.BootOrder);
            option("-device", device.ToString());
        }
    }

    private static QemuOptionString UnixServer(string id, string path) =>
        new QemuOptionString("socket").Add("id", id).Add("path", path).Add("server", true).Add("wait", false);

    private static string SataBus(MachineType machine, int port) =>
        machine == MachineType.Q35 ? $"ide.{port}" : $"ahci0.{port}";

    private static void AddBootIndex(QemuOptionString device, int? bootOrder)
    {
        if (bootOrder is { } order)
        {
            device.Add("bootindex", order);
        }
    }

    /// <summary>Proxmox's cache modes expressed in -blockdev terms (cache.direct, cache.no-flush) plus the device's write cache.</summary>
    public static (bool Direct, bool NoFlush, bool WriteCache) CacheFlags(DiskCache cache) => cache switch
    {
        DiskCache.None => (true, false, true),
        DiskCache.Writeback => (false, false, true),
        DiskCache.Writethrough => (false, false, false),
        DiskCache.DirectSync => (true, false, false),
        DiskCache.Unsafe => (false, true, true),
        _ => throw new ArgumentOutOfRangeException(nameof(cache), cache, "unknown cache mode"),
    };

    private static void CheckHostPath(string setting, string path)
    {
        if (DefinitionValidator.CheckPath(path) is { } problem)
        {
            throw new InvalidOperationException($"{setting} {problem}: '{path}'");
        }
    }
}
