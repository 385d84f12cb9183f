using WebVirt.Hypervisor.CommandLine;
using WebVirt.Rules.Definitions;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.CommandLine;

public sealed class QemuCommandLineTests
{
    /// <summary>Every option the builder may emit, with whether it takes a value.</summary>
    private static readonly Dictionary<string, bool> KnownOptions = new()
    {
        ["-name"] = true, ["-uuid"] = true, ["-no-user-config"] = false, ["-nodefaults"] = false,
        ["-no-shutdown"] = false, ["-sandbox"] = true, ["-msg"] = true, ["-pidfile"] = true,
        ["-machine"] = true, ["-accel"] = true, ["-cpu"] = true, ["-smp"] = true, ["-m"] = true,
        ["-chardev"] = true, ["-mon"] = true, ["-display"] = true, ["-device"] = true, ["-vnc"] = true,
        ["-serial"] = true, ["-blockdev"] = true, ["-netdev"] = true, ["-object"] = true, ["-rtc"] = true,
    };

    [Fact]
    public void Build_FullDefinition_EmitsTheExpectedMachine()
    {
        var args = Build(TestDefinitions.Full(), Accelerator.Tcg);

        Assert.Equal(QemuCommandLine.SandboxPolicy, ValueAfter(args, "-sandbox"));
        Assert.Equal("tcg,tb-size=64", ValueAfter(args, "-accel"));
        Assert.Equal("max", ValueAfter(args, "-cpu"));
        Assert.Equal("cpus=2,sockets=1,cores=2,threads=1", ValueAfter(args, "-smp"));
        Assert.Equal("size=512M", ValueAfter(args, "-m"));
        Assert.Equal("q35", ValueAfter(args, "-machine"));
        Assert.Equal("guest=web-01,debug-threads=on", ValueAfter(args, "-name"));
        Assert.Equal("unix:/run/webvirt/0b9f3c8e-6a51-4d2b-9b1e-3f2a7c4d5e6f/vnc.sock", ValueAfter(args, "-vnc"));
        Assert.Contains("-no-shutdown", args);

        var devices = ValuesOf(args, "-device");
        Assert.Contains("virtio-blk-pci,drive=disk0,id=disk0,write-cache=on,bootindex=2", devices);
        Assert.Contains("ide-hd,bus=ide.0,drive=disk1,id=disk1,write-cache=on", devices);
        Assert.Contains("scsi-hd,bus=scsi0.0,drive=disk2,id=disk2,write-cache=on", devices);
        Assert.Contains("ide-cd,bus=ide.1,id=cdrom0,drive=cdrom0-media,bootindex=1", devices);
        Assert.Contains("virtio-net-pci,netdev=net0,id=net0,mac=52:54:00:12:34:56", devices);
        Assert.Contains("user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22", ValuesOf(args, "-netdev"));

        var chardevs = ValuesOf(args, "-chardev");
        Assert.Contains(chardevs, c => c.StartsWith("socket,id=serial0,", StringComparison.Ordinal)
            && c.Contains("logfile=/var/lib/webvirt/vms/0b9f3c8e-6a51-4d2b-9b1e-3f2a7c4d5e6f/serial.log", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Kvm_UsesHostCpuAndNoTranslationCache()
    {
        var args = Build(TestDefinitions.Full(), Accelerator.Kvm);

        Assert.Equal("kvm", ValueAfter(args, "-accel"));
        Assert.Equal("host", ValueAfter(args, "-cpu"));
        Assert.Single(args, a => a == "-accel");
    }

    [Fact]
    public void Build_CacheModes_MapToBlockdevFlags()
    {
        var definition = TestDefinitions.Full();
        var args = Build(definition, Accelerator.Tcg);
        var blockdevs = ValuesOf(args, "-blockdev");

        Assert.Contains(blockdevs, b => b.Contains("node-name=disk0,", StringComparison.Ordinal) && b.Contains("cache.direct=on", StringComparison.Ordinal));
        Assert.Contains(blockdevs, b => b.Contains("node-name=disk2,", StringComparison.Ordinal) && b.Contains("cache.direct=off", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Ovmf_UsesPflashWithQcow2Vars()
    {
        var definition = TestDefinitions.Full() with { Firmware = Firmware.Ovmf };
        var args = Build(definition, Accelerator.Tcg);

        Assert.Equal("q35,pflash0=ovmfcode,pflash1=ovmfvars", ValueAfter(args, "-machine"));
        Assert.Contains(ValuesOf(args, "-blockdev"), b => b == "driver=qcow2,file=ovmfvars-file,node-name=ovmfvars");
    }

    [Fact]
    public void Build_I440fxSata_AddsAhciController()
    {
        var definition = TestDefinitions.Full() with { Machine = MachineType.I440fx };
        var devices = ValuesOf(Build(definition, Accelerator.Tcg), "-device");

        Assert.Contains("ahci,id=ahci0", devices);
        Assert.Contains("ide-hd,bus=ahci0.0,drive=disk1,id=disk1,write-cache=on", devices);
        Assert.Contains("ide-cd,bus=ide.1,unit=0,id=cdrom0,drive=cdrom0-media,bootindex=1", devices);
    }

    [Fact]
    public void Build_EveryArgument_IsAKnownOptionFollowedByItsValue()
    {
        var args = Build(TestDefinitions.Full() with { Firmware = Firmware.Ovmf }, Accelerator.Tcg);
        AssertWellFormed(args);
    }

    [Theory]
    [InlineData("/images/a,file.locking=off.qcow2")]
    [InlineData("/images/x,,driver=ssh,host=evil")]
    [InlineData("/images/has space.qcow2")]
    [InlineData("/images/-daemonize")]
    [InlineData("/images/a=b.qcow2")]
    [InlineData("/images/ünïcødé.qcow2")]
    public void Build_HostilePathThatIsStillAPath_StaysOneFilenameValue(string path)
    {
        var definition = TestDefinitions.Full() with
        {
            Disks = [new DiskDefinition { Id = "disk0", Path = path }],
            Cdrom = new CdromDefinition { IsoPath = path },
        };

        var args = Build(definition, Accelerator.Tcg);

        AssertWellFormed(args);
        var fileNodes = ValuesOf(args, "-blockdev").Where(b => b.StartsWith("driver=file,", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fileNodes.Count);
        foreach (var node in fileNodes)
        {
            Assert.Equal(path, QemuOptionParser.ValueOf(node, "filename"));
            var keys = QemuOptionParser.Keys(node);
            Assert.Equal(keys.Distinct().Count(), keys.Count);
            Assert.All(keys, k => Assert.Contains(k, new[] { "driver", "filename", "node-name", "cache.direct", "cache.no-flush", "discard", "read-only" }));
        }
    }

    [Theory]
    [InlineData("relative/disk.qcow2", "absolute")]
    [InlineData("-hda", "absolute")]
    [InlineData("json:{\"driver\":\"ssh\"}", "absolute")]
    [InlineData("nbd:evil:10809", "absolute")]
    [InlineData("/images/../../etc/shadow", "normalised")]
    [InlineData("/images/./disk.qcow2", "normalised")]
    [InlineData("/images//disk.qcow2", "normalised")]
    [InlineData("/images/disk.qcow2\n-daemonize", "control")]
    [InlineData("/images/disk\0.qcow2", "control")]
    [InlineData("", "required")]
    public void Build_InvalidPath_IsRefusedWithItsReason(string path, string reason)
    {
        var definition = TestDefinitions.Full() with { Disks = [new DiskDefinition { Id = "disk0", Path = path }] };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(definition, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "disks[0].path" && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_VeryLongPath_IsRefused()
    {
        var definition = TestDefinitions.Full() with { Disks = [new DiskDefinition { Id = "disk0", Path = "/" + new string('a', 5000) }] };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(definition, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "disks[0].path" && e.Message.Contains("longer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a,debug-threads=off")]
    [InlineData("-daemonize")]
    [InlineData("two words")]
    [InlineData("a=b")]
    [InlineData("../escape")]
    [InlineData("line\nbreak")]
    [InlineData("trailing-newline\n")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("this-name-is-far-too-long-for-a-virtual-machine-name-it-goes-on-forever")]
    public void Build_HostileName_IsRefused(string name)
    {
        var error = Assert.Throws<InvalidDefinitionException>(() => Build(TestDefinitions.Full() with { Name = name }, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "name");
    }

    [Theory]
    [InlineData("host,+vmx")]
    [InlineData("-cpu")]
    [InlineData("max kvm=off")]
    [InlineData("max\n")]
    public void Build_HostileCpuModel_IsRefused(string model)
    {
        var definition = TestDefinitions.Full() with { Cpu = new CpuTopology { Model = model } };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(definition, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "cpu.model");
    }

    [Theory]
    [InlineData("52:54:00:12:34:56,romfile=/etc/passwd", "nics[0].macAddress")]
    [InlineData("53:54:00:12:34:56", "nics[0].macAddress")]
    [InlineData("zz:54:00:12:34:56", "nics[0].macAddress")]
    public void Build_HostileMac_IsRefused(string mac, string field)
    {
        var definition = TestDefinitions.Full() with { Nics = [new NicDefinition { Id = "net0", MacAddress = mac }] };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(definition, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == field);
    }

    [Theory]
    [InlineData("127.0.0.1,guestfwd=tcp:10.0.2.100:1-cmd:sh")]
    [InlineData("0x7f.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Build_HostilePortForwardAddress_IsRefused(string address)
    {
        var nic = new NicDefinition
        {
            Id = "net0",
            MacAddress = "52:54:00:12:34:56",
            PortForwards = [new PortForward { HostAddress = address, HostPort = 2222, GuestPort = 22 }],
        };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(TestDefinitions.Full() with { Nics = [nic] }, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "nics[0].portForwards[0].hostAddress");
    }

    [Theory]
    [InlineData("tap0,script=/tmp/evil")]
    [InlineData("-tap")]
    [InlineData("name-longer-than-15")]
    [InlineData(null)]
    public void Build_HostileTapName_IsRefused(string? tap)
    {
        var nic = new NicDefinition { Id = "net0", MacAddress = "52:54:00:12:34:56", Mode = NicMode.Tap, TapDevice = tap };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(TestDefinitions.Full() with { Nics = [nic] }, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "nics[0].tapDevice");
    }

    [Fact]
    public void Build_TapNic_NeverRunsScripts()
    {
        var nic = new NicDefinition { Id = "net0", MacAddress = "52:54:00:12:34:56", Mode = NicMode.Tap, TapDevice = "tap-vm1" };

        var args = Build(TestDefinitions.Full() with { Nics = [nic] }, Accelerator.Tcg);

        Assert.Contains("tap,id=net0,ifname=tap-vm1,script=no,downscript=no", ValuesOf(args, "-netdev"));
    }

    [Fact]
    public void Build_DiskWithIoLimits_PutsAThrottleFilterInItsOwnGroupBetweenFormatNodeAndDevice()
    {
        var limited = TestDefinitions.Full().Disks[0] with { IoLimits = new DiskIoLimits { ReadBytesPerSecond = 1048576, WriteIops = 200 } };
        var definition = TestDefinitions.Full() with { Disks = [limited, TestDefinitions.Full().Disks[1]] };

        var args = Build(definition, Accelerator.Tcg);

        AssertWellFormed(args);
        Assert.Contains("throttle-group,id=disk0-limits,x-bps-read=1048576,x-bps-write=0,x-iops-read=0,x-iops-write=200", ValuesOf(args, "-object"));
        var blockdevs = ValuesOf(args, "-blockdev");
        Assert.Contains("driver=throttle,node-name=disk0-throttle,file=disk0,throttle-group=disk0-limits", blockdevs);
        Assert.Contains(blockdevs, b => b.StartsWith("driver=qcow2,file=disk0-file,node-name=disk0,", StringComparison.Ordinal));
        var devices = ValuesOf(args, "-device");
        Assert.Contains("virtio-blk-pci,drive=disk0-throttle,id=disk0,write-cache=on,bootindex=2", devices);

        // The disk without limits attaches straight to its format node, with no group.
        Assert.Contains("ide-hd,bus=ide.0,drive=disk1,id=disk1,write-cache=on", devices);
        Assert.DoesNotContain(ValuesOf(args, "-object"), o => o.Contains("disk1", StringComparison.Ordinal));
        Assert.DoesNotContain(blockdevs, b => b.Contains("disk1-throttle", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AllLimitsEmpty_IsNoThrottle()
    {
        var unlimited = TestDefinitions.Full().Disks[0] with { IoLimits = new DiskIoLimits() };
        var args = Build(TestDefinitions.Full() with { Disks = [unlimited] }, Accelerator.Tcg);

        Assert.DoesNotContain(ValuesOf(args, "-blockdev"), b => b.Contains("throttle", StringComparison.Ordinal));
        Assert.Contains("virtio-blk-pci,drive=disk0,id=disk0,write-cache=on,bootindex=2", ValuesOf(args, "-device"));
    }

    [Fact]
    public void Build_Q35_HasFreeRootPortsForHotplug_I440fxNone()
    {
        var q35 = ValuesOf(Build(TestDefinitions.Full(), Accelerator.Tcg), "-device");
        for (var i = 0; i < QemuCommandLine.HotplugPorts; i++)
        {
            Assert.Contains($"pcie-root-port,id=hotplug-{i},chassis={i + 1},slot={i + 1}", q35);
        }

        var i440fx = ValuesOf(Build(TestDefinitions.Full() with { Machine = MachineType.I440fx }, Accelerator.Tcg), "-device");
        Assert.DoesNotContain(i440fx, d => d.StartsWith("pcie-root-port", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0L, null, null, null)]
    [InlineData(-5L, null, null, null)]
    [InlineData(null, (1L << 40) + 1, null, null)]
    [InlineData(null, null, 0L, null)]
    [InlineData(null, null, null, 100_000_001L)]
    public void Build_IoLimitOutOfRange_IsRefused(long? readBytes, long? writeBytes, long? readIops, long? writeIops)
    {
        var limits = new DiskIoLimits { ReadBytesPerSecond = readBytes, WriteBytesPerSecond = writeBytes, ReadIops = readIops, WriteIops = writeIops };
        var definition = TestDefinitions.Full() with { Disks = [TestDefinitions.Full().Disks[0] with { IoLimits = limits }] };

        var error = Assert.Throws<InvalidDefinitionException>(() => Build(definition, Accelerator.Tcg));

        Assert.Contains(error.Errors, e => e.Field == "disks[0].ioLimits");
    }

    [Fact]
    public void Build_HostileDiskStrings_NeverReachAnOptionUnescaped()
    {
        // The only user strings near the throttle nodes are the path and the id; the id is a strict pattern.
        const string path = "/images/a,throttle-group=evil,,x.qcow2";
        var limited = new DiskDefinition { Id = "disk0", Path = path, IoLimits = new DiskIoLimits { WriteIops = 5 } };
        var args = Build(TestDefinitions.Full() with { Disks = [limited] }, Accelerator.Tcg);

        AssertWellFormed(args);
        foreach (var value in ValuesOf(args, "-blockdev").Concat(ValuesOf(args, "-object")).Concat(ValuesOf(args, "-device")))
        {
            var keys = QemuOptionParser.Keys(value);
            Assert.Equal(keys.Distinct().Count(), keys.Count);
        }

        var file = Assert.Single(ValuesOf(args, "-blockdev"), b => b.StartsWith("driver=file,", StringComparison.Ordinal) && b.Contains("disk0-file", StringComparison.Ordinal));
        Assert.Equal(path, QemuOptionParser.ValueOf(file, "filename"));
        Assert.Single(ValuesOf(args, "-blockdev"), b => QemuOptionParser.Keys(b).Contains("throttle-group"));

        var badId = TestDefinitions.Full() with { Disks = [limited with { Id = "disk0,throttle-group=x" }] };
        Assert.Contains(Assert.Throws<InvalidDefinitionException>(() => Build(badId, Accelerator.Tcg)).Errors, e => e.Field == "disks[0].id");
    }

    private static IReadOnlyList<string> Build(VmDefinition definition, Accelerator accelerator) =>
        QemuCommandLine.Build(definition, TestDefinitions.Paths(), accelerator, TestDefinitions.Options());

    private static void AssertWellFormed(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            Assert.True(KnownOptions.TryGetValue(args[i], out var takesValue), $"argument {i} '{args[i]}' is not an option the builder emits");
            if (takesValue)
            {
                i++;
                Assert.True(i < args.Count, $"option {args[i - 1]} has no value");
            }
        }
    }

    private static string ValueAfter(IReadOnlyList<string> args, string option)
    {
        var values = ValuesOf(args, option);
        return Assert.Single(values);
    }

    private static List<string> ValuesOf(IReadOnlyList<string> args, string option) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == option && x.i + 1 < args.Count).Select(x => args[x.i + 1]).ToList();
}
