using System.Net.Sockets;
using System.Net;
using System.Text.RegularExpressions;
using WebVirt.Shared.Vms;

namespace WebVirt.Rules.Definitions;

/// <summary>
/// Checks a VM definition before anything is created or launched. Every string that reaches QEMU is
/// either matched against a strict pattern here or is a host path that must be absolute and clean;
/// the command line builder escapes what remains, so this is the first of two locks.
/// </summary>
public static partial class DefinitionValidator
{
    public const int MinMemoryMiB = 16;
    public const int MaxMemoryMiB = 4 * 1024 * 1024;
    public const int MaxVcpus = 288;
    public const int MaxPathLength = 4096;
    public const int MaxShutdownTimeoutSeconds = 3600;
    public const int MaxStartOrder = 9999;

    /// <summary>Ports on the AHCI controller built into q35; one is kept for the CD-ROM when there is one.</summary>
    public const int Q35SataPorts = 6;

    public const int MaxScsiDisks = 256;
    public const int MaxVirtioDisks = 24;
    public const int MaxNics = 16;

    /// <summary>The highest I/O limits accepted: far above any disk, far below where QEMU's throttle arithmetic overflows.</summary>
    public const long MaxIoBytesPerSecond = 1L << 40;

    public const long MaxIops = 100_000_000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9]{0,15}\\z")]
    private static partial Regex DeviceIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex CpuModelPattern();

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}\\z")]
    private static partial Regex MacPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\\z")]
    private static partial Regex InterfaceNamePattern();

    /// <summary>A VM name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    public static IReadOnlyList<DefinitionError> Validate(VmDefinition definition)
    {
        var errors = new List<DefinitionError>();
        void Fail(string field, string message) => errors.Add(new DefinitionError(field, message));

        if (!IsValidName(definition.Name))
        {
            Fail("name", "must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        if (definition.Uuid == Guid.Empty)
        {
            Fail("uuid", "must not be empty");
        }

        ValidateCpu(definition.Cpu, Fail);

        if (definition.MemoryMiB is < MinMemoryMiB or > MaxMemoryMiB)
        {
            Fail("memoryMiB", $"must be between {MinMemoryMiB} MiB and {MaxMemoryMiB} MiB (4 TiB)");
        }

        if (definition.ShutdownTimeoutSeconds is < 1 or > MaxShutdownTimeoutSeconds)
        {
            Fail("shutdownTimeoutSeconds", $"must be between 1 and {MaxShutdownTimeoutSeconds} seconds");
        }

        if (definition.StartOrder is < 0 or > MaxStartOrder)
        {
            Fail("startOrder", $"must be between 0 (no particular order) and {MaxStartOrder}");
        }

        // A number that names no value would otherwise be stored and turned into some default QEMU option.
        ValidateChoice("machine", definition.Machine, Fail);
        ValidateChoice("firmware", definition.Firmware, Fail);
        ValidateChoice("display.adapter", definition.Display.Adapter, Fail);

        var ids = new HashSet<string>(StringComparer.Ordinal);
        ValidateDisks(definition, ids, Fail);
        ValidateNics(definition, ids, Fail);

        if (definition.Cdrom?.IsoPath is { } iso)
        {
            ValidatePath("cdrom.isoPath", iso, Fail);
        }

        ValidateBootOrder(definition, Fail);
        return errors;
    }

    /// <summary>Throws <see cref="InvalidDefinitionException"/> listing every problem, or returns when there is none.</summary>
    public static void EnsureValid(VmDefinition definition)
    {
        var errors = Validate(definition);
        if (errors.Count > 0)
        {
            throw new InvalidDefinitionException(errors);
        }
    }

    /// <summary>
    /// A host path that may be handed to QEMU: absolute, already normalised (no '.', '..' or empty segments),
    /// no control characters. Absolute paths also rule out QEMU's pseudo-protocol prefixes such as
    /// <c>json:</c> or <c>nbd:</c>.
    /// </summary>
    public static string? CheckPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "is required";
        }

        if (path.Length > MaxPathLength)
        {
            return $"is longer than {MaxPathLength} characters";
        }

        if (path.Any(char.IsControl))
        {
            return "contains control characters";
        }

        if (!path.StartsWith('/'))
        {
            return "must be an absolute path";
        }

        var segments = path.Split('/');
        if (segments.Skip(1).Any(s => s is "" or "." or ".."))
        {
            return "must be a normalised path without '.', '..' or empty segments";
        }

        return null;
    }

    private static void ValidatePath(string field, string? path, Action<string, string> fail)
    {
        if (CheckPath(path) is { } problem)
        {
            fail(field, problem);
        }
    }

    private static void ValidateCpu(CpuTopology cpu, Action<string, string> fail)
    {
        if (cpu.Sockets < 1 || cpu.Cores < 1 || cpu.Threads < 1)
        {
            fail("cpu", "sockets, cores and threads must each be at least 1");
        }
        else if ((long)cpu.Sockets * cpu.Cores * cpu.Threads > MaxVcpus)
        {
            fail("cpu", $"at most {MaxVcpus} vCPUs (sockets × cores × threads)");
        }

        if (cpu.Model is not null && !CpuModelPattern().IsMatch(cpu.Model))
        {
            fail("cpu.model", "must be a QEMU CPU model name (letters, digits, '.', '_', '-')");
        }
    }

    private static void ValidateDisks(VmDefinition definition, HashSet<string> ids, Action<string, string> fail)
    {
        for (var i = 0; i < definition.Disks.Count; i++)
        {
            var disk = definition.Disks[i];
            var field = $"disks[{i}]";
            ValidateDeviceId($"{field}.id", disk.Id, ids, fail);
            ValidatePath($"{field}.path", disk.Path, fail);
            ValidateChoice($"{field}.format", disk.Format, fail);
            ValidateChoice($"{field}.bus", disk.Bus, fail);
            ValidateChoice($"{field}.cache", disk.Cache, fail);
            if (disk.IoLimits is { } limits && CheckIoLimits(limits) is { } badLimits)
            {
                fail($"{field}.ioLimits", badLimits);
            }
        }

        var sata = definition.Disks.Count(d => d.Bus == DiskBus.Sata);
        var sataPorts = Q35SataPorts - (definition.Cdrom is null ? 0 : 1);
        if (sata > sataPorts)
        {
            fail("disks", $"at most {sataPorts} SATA disks{(definition.Cdrom is null ? "" : " besides the CD-ROM")}");
        }

        if (definition.Disks.Count(d => d.Bus == DiskBus.Virtio) > MaxVirtioDisks)
        {
            fail("disks", $"at most {MaxVirtioDisks} VirtIO disks");
        }

        if (definition.Disks.Count(d => d.Bus == DiskBus.Scsi) > MaxScsiDisks)
        {
            fail("disks", $"at most {MaxScsiDisks} SCSI disks");
        }
    }

    /// <summary>Null when every limit is absent (unlimited) or within range, else why not.</summary>
    public static string? CheckIoLimits(DiskIoLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (new[] { limits.ReadBytesPerSecond, limits.WriteBytesPerSecond }.Any(v => v is < 1 or > MaxIoBytesPerSecond))
        {
            return $"bytes per second must be between 1 and {MaxIoBytesPerSecond} (1 TiB/s), or empty for unlimited";
        }

        return new[] { limits.ReadIops, limits.WriteIops }.Any(v => v is < 1 or > MaxIops)
            ? $"I/O operations per second must be between 1 and {MaxIops}, or empty for unlimited"
            : null;
    }

    private static void ValidateNics(VmDefinition definition, HashSet<string> ids, Action<string, string> fail)
    {
        if (definition.Nics.Count > MaxNics)
        {
            fail("nics", $"at most {MaxNics} network interfaces");
        }

        var macs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < definition.Nics.Count; i++)
        {
            var nic = definition.Nics[i];
            var field = $"nics[{i}]";
            ValidateDeviceId($"{field}.id", nic.Id, ids, fail);
            ValidateMac($"{field}.macAddress", nic.MacAddress, macs, fail);
            ValidateChoice($"{field}.model", nic.Model, fail);
            ValidateChoice($"{field}.mode", nic.Mode, fail);

            if (nic.Mode == NicMode.Tap && (nic.TapDevice is null || !InterfaceNamePattern().IsMatch(nic.TapDevice)))
            {
                fail($"{field}.tapDevice", "a tap NIC needs a host interface name of 1-15 letters, digits, '_', '.' or '-'");
            }

            if (nic.Mode != NicMode.User && nic.PortForwards.Count > 0)
            {
                fail($"{field}.portForwards", "port forwards only apply to user-mode (NAT) networking");
            }

            for (var j = 0; j < nic.PortForwards.Count; j++)
            {
                ValidatePortForward($"{field}.portForwards[{j}]", nic.PortForwards[j], fail);
            }
        }
    }

    private static void ValidateMac(string field, string? mac, HashSet<string> macs, Action<string, string> fail)
    {
        if (mac is null || !MacPattern().IsMatch(mac))
        {
            fail(field, "must be six hex byte pairs separated by ':'");
            return;
        }

        if ((Convert.ToByte(mac[..2], 16) & 1) != 0)
        {
            fail(field, "must be a unicast address (the first byte must be even)");
        }

        if (!macs.Add(mac))
        {
            fail(field, "is used by another interface of this VM");
        }
    }

    private static void ValidateChoice<T>(string field, T value, Action<string, string> fail)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            fail(field, $"must be one of {string.Join(", ", Enum.GetNames<T>())}");
        }
    }

    private static void ValidatePortForward(string field, PortForward forward, Action<string, string> fail)
    {
        ValidateChoice($"{field}.protocol", forward.Protocol, fail);
        if (forward.HostPort is < 1 or > 65535)
        {
            fail($"{field}.hostPort", "must be between 1 and 65535");
        }

        if (forward.GuestPort is < 1 or > 65535)
        {
            fail($"{field}.guestPort", "must be between 1 and 65535");
        }

        if (!IPAddress.TryParse(forward.HostAddress, out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || address.ToString() != forward.HostAddress)
        {
            fail($"{field}.hostAddress", "must be an IPv4 address such as 127.0.0.1");
        }
    }

    private static void ValidateDeviceId(string field, string? id, HashSet<string> ids, Action<string, string> fail)
    {
        if (id is null || !DeviceIdPattern().IsMatch(id))
        {
            fail(field, "must be 1-16 lower-case letters and digits, starting with a letter");
        }
        else if (ReservedDeviceIds.All.Contains(id) || !ids.Add(id))
        {
            fail(field, $"'{id}' is already used by another device of this VM");
        }
    }

    private static void ValidateBootOrder(VmDefinition definition, Action<string, string> fail)
    {
        var orders = definition.Disks.Select(d => d.BootOrder)
            .Concat(definition.Nics.Select(n => n.BootOrder))
            .Append(definition.Cdrom?.BootOrder)
            .OfType<int>()
            .ToList();

        if (orders.Any(o => o is < 1 or > 99))
        {
            fail("bootOrder", "boot positions must be between 1 and 99");
        }

        if (orders.Count != orders.Distinct().Count())
        {
            fail("bootOrder", "two devices have the same boot position");
        }
    }
}
