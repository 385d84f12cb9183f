namespace WebVirt.Hypervisor.Processes;

/// <summary>Reads QEMU's stderr log (start-up errors, warnings) to explain a failure.</summary>
internal static class QemuLog
{
    public static string Tail(string path, int lines)
    {
        try
        {
            return string.Join(" | ", File.ReadLines(path).Where(l => l.Trim().Length > 0).TakeLast(lines).Select(l => l.Trim()));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
