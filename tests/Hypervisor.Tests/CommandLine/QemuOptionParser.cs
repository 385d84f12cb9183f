namespace WebVirt.Hypervisor.Tests.CommandLine;

/// <summary>
/// Splits an option value the way QEMU's QemuOpts parser does (',,' is a literal comma, ',' separates
/// keys), so tests can see exactly which keys QEMU would receive.
/// </summary>
internal static class QemuOptionParser
{
    public static IReadOnlyList<string> SplitParameters(string value)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == ',')
            {
                if (i + 1 < value.Length && value[i + 1] == ',')
                {
                    current.Append(',');
                    i++;
                    continue;
                }

                parts.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(value[i]);
        }

        parts.Add(current.ToString());
        return parts;
    }

    public static IReadOnlyList<string> Keys(string value) =>
        SplitParameters(value).Select(p => p.Contains('=') ? p[..p.IndexOf('=')] : p).ToList();

    public static string? ValueOf(string value, string key) =>
        SplitParameters(value).Where(p => p.StartsWith(key + "=", StringComparison.Ordinal)).Select(p => p[(key.Length + 1)..]).FirstOrDefault();
}
