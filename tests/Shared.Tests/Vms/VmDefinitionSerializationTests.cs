using System.Text.Json;
using WebVirt.Shared.Vms;

namespace WebVirt.Shared.Tests.Vms;

/// <summary>The agent keeps definitions on disk as JSON and the panel sends them over SignalR: nothing may be lost.</summary>
public sealed class VmDefinitionSerializationTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void RoundTrip_FullDefinition_KeepsEveryField()
    {
        var definition = new VmDefinition
        {
            Uuid = Guid.NewGuid(),
            Name = "db-01",
            Cpu = new CpuTopology { Sockets = 2, Cores = 4, Threads = 2, Model = "EPYC" },
            MemoryMiB = 8192,
            Machine = MachineType.I440fx,
            Firmware = Firmware.Ovmf,
            Disks = [new DiskDefinition { Id = "disk0", Path = "/pool/db.qcow2", Bus = DiskBus.Scsi, Cache = DiskCache.Writeback, BootOrder = 1, Discard = false }],
            Cdrom = new CdromDefinition { IsoPath = "/iso/debian.iso", BootOrder = 2 },
            Nics = [new NicDefinition { Id = "net0", MacAddress = "52:54:00:aa:bb:cc", Model = NicModel.E1000, PortForwards = [new PortForward { HostPort = 5432, GuestPort = 5432, Protocol = PortForwardProtocol.Udp }] }],
            Display = new DisplayDefinition { Adapter = DisplayAdapter.VirtioGpu, Vnc = false },
            SerialConsole = false,
            GuestAgent = false,
            Autostart = true,
            StartOrder = 5,
            ShutdownTimeoutSeconds = 300,
        };

        var copy = JsonSerializer.Deserialize<VmDefinition>(JsonSerializer.Serialize(definition, Web), Web)!;

        Assert.Equal(JsonSerializer.Serialize(definition, Web), JsonSerializer.Serialize(copy, Web));
        Assert.Equal(definition.Disks[0], copy.Disks[0]);
        Assert.Equal(definition.Cpu, copy.Cpu);
        Assert.Equal(16, copy.Cpu.VcpuCount);
    }

    [Fact]
    public void Deserialize_MinimalJson_TakesTheDefaults()
    {
        var copy = JsonSerializer.Deserialize<VmDefinition>("""{"uuid":"0b9f3c8e-6a51-4d2b-9b1e-3f2a7c4d5e6f","name":"x"}""", Web)!;

        Assert.Equal(1024, copy.MemoryMiB);
        Assert.Equal(MachineType.Q35, copy.Machine);
        Assert.Equal(1, copy.Cpu.VcpuCount);
        Assert.True(copy.SerialConsole);
        Assert.Empty(copy.Disks);
    }

    [Fact]
    public void Deserialize_WithoutRequiredName_Fails()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VmDefinition>("""{"uuid":"0b9f3c8e-6a51-4d2b-9b1e-3f2a7c4d5e6f"}""", Web));
    }
}
