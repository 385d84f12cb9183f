namespace WebVirt.TestSupport;

/// <summary>Finds QEMU processes by what their command line mentions, to check for orphans and clean up after tests.</summary>
public static class QemuProcesses
{
    /// <summary>Pids of running qemu-system processes whose arguments contain <paramref name="text"/> (a folder, a UUID).</summary>
    public static IReadOnlyList<int> Under(string text)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Length > 0 && arguments.Any(a => a.Contains("qemu-system", StringComparison.Ordinal))
                    && arguments.Any(a => a.Contains(text, StringComparison.Ordinal)))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    /// <summary>
    /// True while the process runs. A zombie does not count: once an agent that started QEMU is gone, init
    /// becomes QEMU's parent and may take a moment to reap it.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void KillAll(string text)
    {
        foreach (var pid in Under(text))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }
}
