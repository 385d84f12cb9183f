using WebVirt.Rules.Definitions;
using WebVirt.Shared.Vms;
using WebVirt.TestSupport;

namespace WebVirt.Rules.Tests.Definitions;

public sealed class DefinitionValidatorTests
{
    [Fact]
    public void Validate_FullDefinition_HasNoErrors()
    {
        Assert.Empty(DefinitionValidator.Validate(TestDefinitions.Full()));
    }

    [Fact]
    public void Validate_NumbersThatNameNoChoice_AreErrorsNamingTheField()
    {
        var full = TestDefinitions.Full();
        var definition = full with
        {
            Machine = (MachineType)99,
            Firmware = (Firmware)99,
            Display = full.Display with { Adapter = (DisplayAdapter)99 },
            Disks = [full.Disks[0] with { Format = (DiskFormat)99, Bus = (DiskBus)99, Cache = (DiskCache)99 }],
            Nics = [full.Nics[0] with { Model = (NicModel)99, PortForwards = [full.Nics[0].PortForwards[0] with { Protocol = (PortForwardProtocol)99 }] }],
        };

        var fields = DefinitionValidator.Validate(definition).Select(e => e.Field).ToList();

        Assert.Equal(
            ["machine", "firmware", "display.adapter", "disks[0].format", "disks[0].bus", "disks[0].cache", "nics[0].model", "nics[0].portForwards[0].protocol"],
            fields.Where(f => f is not "disks" and not "bootOrder").ToList());
        Assert.Contains(DefinitionValidator.Validate(full with { Nics = [full.Nics[0] with { Mode = (NicMode)99, PortForwards = [] }] }), e => e.Field == "nics[0].mode" && e.Message.StartsWith("must be one of", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-512)]
    [InlineData(15)]
    [InlineData(int.MaxValue)]
    public void Validate_MemoryOutOfRange_IsAnError(int memoryMiB)
    {
        var errors = DefinitionValidator.Validate(TestDefinitions.Full() with { MemoryMiB = memoryMiB });

        Assert.Contains(errors, e => e.Field == "memoryMiB");
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, -4, 1)]
    [InlineData(17, 17, 1)]
    [InlineData(int.MaxValue, int.MaxValue, 2)]
    public void Validate_CpuOutOfRange_IsAnError(int sockets, int cores, int threads)
    {
        var cpu = new CpuTopology { Sockets = sockets, Cores = cores, Threads = threads };

        var errors = DefinitionValidator.Validate(TestDefinitions.Full() with { Cpu = cpu });

        Assert.Contains(errors, e => e.Field == "cpu");
    }

    [Fact]
    public void Validate_DuplicateAndReservedIds_AreErrors()
    {
        var definition = TestDefinitions.Full() with
        {
            Disks =
            [
                new DiskDefinition { Id = "disk0", Path = "/a.qcow2" },
                new DiskDefinition { Id = "disk0", Path = "/b.qcow2" },
                new DiskDefinition { Id = "qmp", Path = "/c.qcow2" },
                new DiskDefinition { Id = "Disk-3", Path = "/d.qcow2" },
            ],
        };

        var errors = DefinitionValidator.Validate(definition);

        Assert.Contains(errors, e => e.Field == "disks[1].id" && e.Message.Contains("already used", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "disks[2].id" && e.Message.Contains("already used", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "disks[3].id");
    }

    [Fact]
    public void Validate_TwoDevicesWithTheSameBootPosition_IsAnError()
    {
        var definition = TestDefinitions.Full() with { Cdrom = new CdromDefinition { BootOrder = 2 } };

        Assert.Contains(DefinitionValidator.Validate(definition), e => e.Field == "bootOrder");
    }

    [Fact]
    public void Validate_TooManySataDisksWithCdrom_IsAnError()
    {
        var disks = Enumerable.Range(0, 6).Select(i => new DiskDefinition { Id = $"disk{i}", Path = $"/d{i}.raw", Bus = DiskBus.Sata }).ToList();

        var errors = DefinitionValidator.Validate(TestDefinitions.Full() with { Disks = disks });

        Assert.Contains(errors, e => e.Field == "disks" && e.Message.Contains("SATA", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_PortForwardOnTap_IsAnError()
    {
        var nic = new NicDefinition
        {
            Id = "net0",
            MacAddress = "52:54:00:00:00:01",
            Mode = NicMode.Tap,
            TapDevice = "tap0",
            PortForwards = [new PortForward { HostPort = 80, GuestPort = 80 }],
        };

        Assert.Contains(DefinitionValidator.Validate(TestDefinitions.Full() with { Nics = [nic] }), e => e.Field == "nics[0].portForwards");
    }

    [Fact]
    public void Validate_PortForwardPortsOutOfRange_NameEachPort()
    {
        var full = TestDefinitions.Full();
        var nic = full.Nics[0] with { PortForwards = [new PortForward { HostPort = 65536, GuestPort = 0 }] };

        var errors = DefinitionValidator.Validate(full with { Nics = [nic] });

        Assert.Contains(errors, e => e.Field == "nics[0].portForwards[0].hostPort");
        Assert.Contains(errors, e => e.Field == "nics[0].portForwards[0].guestPort");
    }

    [Fact]
    public void Validate_DuplicateMac_IsAnError()
    {
        var definition = TestDefinitions.Full() with
        {
            Nics =
            [
                new NicDefinition { Id = "net0", MacAddress = "52:54:00:00:00:01" },
                new NicDefinition { Id = "net1", MacAddress = "52:54:00:00:00:01" },
            ],
        };

        Assert.Contains(DefinitionValidator.Validate(definition), e => e.Field == "nics[1].macAddress");
    }

    [Fact]
    public void Validate_ListsEveryProblemAtOnce()
    {
        var definition = TestDefinitions.Full() with { Name = "bad name", MemoryMiB = 0, ShutdownTimeoutSeconds = 0 };

        var fields = DefinitionValidator.Validate(definition).Select(e => e.Field).ToList();

        Assert.Equal(["name", "memoryMiB", "shutdownTimeoutSeconds"], fields);
    }
}
