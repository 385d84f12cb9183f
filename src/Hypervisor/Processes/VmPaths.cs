using System.Text;

namespace WebVirt.Hypervisor.Processes;

/// <summary>
/// The files of one VM on its host. The run folder holds what exists only while QEMU runs (sockets,
/// pidfile); the data folder holds what must survive a host reboot (definition, logs, firmware variables).
/// </summary>
public sealed record VmPaths(Guid Uuid, string RunDirectory, string DataDirectory)
{
    /// <summary>sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    public string QmpSocket => Path.Combine(RunDirectory, "qmp.sock");
    public string VncSocket => Path.Combine(RunDirectory, "vnc.sock");
    public string SerialSocket => Path.Combine(RunDirectory, "serial.sock");
    public string GuestAgentSocket => Path.Combine(RunDirectory, "qga.sock");
    public string PidFile => Path.Combine(RunDirectory, "qemu.pid");

    /// <summary>The key of an encrypted disk while QEMU starts (0600, in the 0700 run folder, deleted once QEMU runs).</summary>
    public string DiskKeyFile(string diskId) => Path.Combine(RunDirectory, diskId + ".key");

    public string DefinitionFile => Path.Combine(DataDirectory, "definition.json");
    public string SerialLog => Path.Combine(DataDirectory, "serial.log");

    /// <summary>QEMU's own stderr: start-up errors and warnings.</summary>
    public string QemuLog => Path.Combine(DataDirectory, "qemu.log");

    public string OvmfVars => Path.Combine(DataDirectory, "ovmf-vars.qcow2");

    public static VmPaths Create(Guid uuid, string runRoot, string dataRoot)
    {
        var id = uuid.ToString("D");
        var paths = new VmPaths(uuid, Path.Combine(Path.GetFullPath(runRoot), id), Path.Combine(Path.GetFullPath(dataRoot), id));
        var longest = paths.GuestAgentSocket;
        if (Encoding.UTF8.GetByteCount(longest) > MaxSocketPathBytes)
        {
            throw new ArgumentException(
                $"The run folder '{runRoot}' is too long: socket paths such as '{longest}' exceed the {MaxSocketPathBytes}-byte limit of unix sockets. Choose a shorter Hypervisor:RunDirectory.",
                nameof(runRoot));
        }

        return paths;
    }
}
