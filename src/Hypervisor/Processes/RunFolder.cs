namespace WebVirt.Hypervisor.Processes;

/// <summary>The per-VM folder of sockets and pidfile that exists only while QEMU runs.</summary>
internal static class RunFolder
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Removes what a stopped QEMU leaves behind, so the next start begins clean.</summary>
    public static void Clean(VmPaths paths)
    {
        if (Directory.Exists(paths.RunDirectory))
        {
            Directory.Delete(paths.RunDirectory, recursive: true);
        }
    }

    /// <summary>The pid recorded in the pidfile, or null when there is none or it is unreadable.</summary>
    public static int? ReadPid(VmPaths paths)
    {
        try
        {
            return int.TryParse(File.ReadAllText(paths.PidFile).Trim(), out var pid) && pid > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is this VM's QEMU and not an unrelated process that reused the pid:
    /// its command line must carry the VM's -uuid.
    /// </summary>
    public static bool IsQemuOf(VmPaths paths, int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            var index = Array.IndexOf(arguments, "-uuid");
            return index >= 0 && index + 1 < arguments.Length && arguments[index + 1] == paths.Uuid.ToString("D");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
