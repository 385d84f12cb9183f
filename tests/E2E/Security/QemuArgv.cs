namespace WebVirt.E2E.Tests.Security;

/// <summary>A QEMU process's arguments as the kernel holds them (/proc/PID/cmdline), read as options and their key=value lists.</summary>
public static class QemuArgv
{
    public static string[] Read(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');

    /// <summary>Each option (an argument starting with '-') with the argument after it, unless that is an option too.</summary>
    public static List<(string Name, string? Value)> Options(string[] argv)
    {
        var options = new List<(string, string?)>();
        for (var i = 1; i < argv.Length; i++)
        {
            var value = i + 1 < argv.Length && !argv[i + 1].StartsWith('-') ? argv[i + 1] : null;
            options.Add((argv[i], value));
            i += value is null ? 0 : 1;
        }

        return options;
    }

    /// <summary>QEMU's key=value list: ',' separates, ',,' is a literal comma; a part without '=' is a bare value (key "").</summary>
    public static List<(string Key, string Value)> Parse(string value)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != ',')
            {
                current.Append(value[i]);
            }
            else if (i + 1 < value.Length && value[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else
            {
                parts.Add(current.ToString());
                current.Clear();
            }
        }

        parts.Add(current.ToString());
        return [.. parts.Select(p => p.IndexOf('=', StringComparison.Ordinal) is var at and >= 0 ? (p[..at], p[(at + 1)..]) : ("", p))];
    }
}
