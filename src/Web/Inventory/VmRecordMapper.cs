using WebVirt.Shared.Vms;

namespace WebVirt.Web.Inventory;

/// <summary>Converts between the database's <see cref="VmRecord"/> and the <see cref="VmDefinition"/> agents run.</summary>
internal static class VmRecordMapper
{
    /// <summary>The record's definition; its <see cref="VmRecord.Disks"/> and <see cref="VmRecord.Nics"/> must be loaded.</summary>
    public static VmDefinition ToDefinition(VmRecord record) => new()
    {
        Uuid = record.Id,
        Name = record.Name,
        Cpu = new CpuTopology
        {
            Sockets = record.Sockets,
            Cores = record.Cores,
            Threads = record.Threads,
            Model = record.CpuModel,
        },
        MemoryMiB = record.MemoryMiB,
        Machine = record.Machine,
        Firmware = record.Firmware,
        Disks = [.. record.Disks.OrderBy(d => d.Position).Select(ToDefinition)],
        Cdrom = record.HasCdrom ? new CdromDefinition { IsoPath = record.CdromIsoPath, BootOrder = record.CdromBootOrder } : null,
        Nics = [.. record.Nics.OrderBy(n => n.Position).Select(ToDefinition)],
        Display = new DisplayDefinition { Adapter = record.DisplayAdapter, Vnc = record.Vnc },
        SerialConsole = record.SerialConsole,
        GuestAgent = record.GuestAgent,
        Autostart = record.Autostart,
        StartOrder = record.StartOrder,
        IsTemplate = record.IsTemplate,
        ShutdownTimeoutSeconds = record.ShutdownTimeoutSeconds,
    };

    /// <summary>
    /// Writes <paramref name="definition"/> into <paramref name="record"/> (a new one, or a tracked one with its
    /// disks and NICs loaded): disks and NICs are matched by id, so EF Core updates, adds and deletes rows in
    /// place, and a disk keeps its measured size. Bumps <see cref="VmRecord.DefinitionVersion"/>.
    /// </summary>
    public static void ApplyDefinition(VmRecord record, VmDefinition definition)
    {
        if (record.Id == Guid.Empty)
        {
            record.Id = definition.Uuid;
        }
        else if (record.Id != definition.Uuid)
        {
            throw new ArgumentException($"The definition is for VM {definition.Uuid}, not {record.Id}.", nameof(definition));
        }

        record.Name = definition.Name;
        record.Sockets = definition.Cpu.Sockets;
        record.Cores = definition.Cpu.Cores;
        record.Threads = definition.Cpu.Threads;
        record.CpuModel = definition.Cpu.Model;
        record.MemoryMiB = definition.MemoryMiB;
        record.Machine = definition.Machine;
        record.Firmware = definition.Firmware;
        record.HasCdrom = definition.Cdrom is not null;
        record.CdromIsoPath = definition.Cdrom?.IsoPath;
        record.CdromBootOrder = definition.Cdrom?.BootOrder;
        record.DisplayAdapter = definition.Display.Adapter;
        record.Vnc = definition.Display.Vnc;
        record.SerialConsole = definition.SerialConsole;
        record.GuestAgent = definition.GuestAgent;
        record.Autostart = definition.Autostart;
        record.StartOrder = definition.StartOrder;
        record.IsTemplate = definition.IsTemplate;
        record.ShutdownTimeoutSeconds = definition.ShutdownTimeoutSeconds;
        record.DefinitionVersion++;

        Merge(record.Disks, definition.Disks, d => d.DiskId, d => d.Id, d => new DiskRecord { DiskId = d.Id, Path = d.Path }, Apply);
        Merge(record.Nics, definition.Nics, n => n.NicId, n => n.Id, n => new NicRecord { NicId = n.Id, MacAddress = n.MacAddress }, Apply);
    }

    private static DiskDefinition ToDefinition(DiskRecord disk) => new()
    {
        Id = disk.DiskId,
        Path = disk.Path,
        Format = disk.Format,
        Bus = disk.Bus,
        Cache = disk.Cache,
        Discard = disk.Discard,
        ReadOnly = disk.ReadOnly,
        Encrypted = disk.Encrypted,
        IoLimits = disk is { ReadBytesPerSecond: null, WriteBytesPerSecond: null, ReadIops: null, WriteIops: null } ? null : new DiskIoLimits
        {
            ReadBytesPerSecond = disk.ReadBytesPerSecond,
            WriteBytesPerSecond = disk.WriteBytesPerSecond,
            ReadIops = disk.ReadIops,
            WriteIops = disk.WriteIops,
        },
        BootOrder = disk.BootOrder,
    };

    private static NicDefinition ToDefinition(NicRecord nic) => new()
    {
        Id = nic.NicId,
        MacAddress = nic.MacAddress,
        Model = nic.Model,
        Mode = nic.Mode,
        TapDevice = nic.TapDevice,
        PortForwards = nic.PortForwards,
        BootOrder = nic.BootOrder,
    };

    private static void Apply(DiskRecord disk, DiskDefinition definition, int position)
    {
        disk.Position = position;
        disk.Path = definition.Path;
        disk.Format = definition.Format;
        disk.Bus = definition.Bus;
        disk.Cache = definition.Cache;
        disk.Discard = definition.Discard;
        disk.ReadOnly = definition.ReadOnly;
        disk.Encrypted = definition.Encrypted;
        disk.ReadBytesPerSecond = definition.IoLimits?.ReadBytesPerSecond;
        disk.WriteBytesPerSecond = definition.IoLimits?.WriteBytesPerSecond;
        disk.ReadIops = definition.IoLimits?.ReadIops;
        disk.WriteIops = definition.IoLimits?.WriteIops;
        disk.BootOrder = definition.BootOrder;
    }

    private static void Apply(NicRecord nic, NicDefinition definition, int position)
    {
        nic.Position = position;
        nic.MacAddress = definition.MacAddress;
        nic.Model = definition.Model;
        nic.Mode = definition.Mode;
        nic.TapDevice = definition.TapDevice;
        nic.PortForwards = [.. definition.PortForwards];
        nic.BootOrder = definition.BootOrder;
    }

    private static void Merge<TRecord, TDefinition>(
        List<TRecord> records,
        IReadOnlyList<TDefinition> definitions,
        Func<TRecord, string> recordId,
        Func<TDefinition, string> definitionId,
        Func<TDefinition, TRecord> create,
        Action<TRecord, TDefinition, int> apply)
    {
        var wanted = definitions.Select(definitionId).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count != definitions.Count)
        {
            throw new ArgumentException($"Two {typeof(TDefinition).Name}s share an id.", nameof(definitions));
        }

        records.RemoveAll(r => !wanted.Contains(recordId(r)));

        var existing = records.ToDictionary(recordId, StringComparer.Ordinal);
        for (var position = 0; position < definitions.Count; position++)
        {
            var definition = definitions[position];
            if (!existing.TryGetValue(definitionId(definition), out var record))
            {
                record = create(definition);
                records.Add(record);
            }

            apply(record, definition, position);
        }
    }
}
