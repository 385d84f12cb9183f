using System.Text.RegularExpressions;

namespace WebVirt.Rules.Networking;

/// <summary>
/// What a Linux network interface name (bridge, tap, uplink) may be before it reaches an <c>ip</c> argv: 1–15
/// characters (IFNAMSIZ less the NUL) of ASCII letters, digits, '_', '.' and '-', not starting with '-' (never an
/// option) or '.' (never "." or ".."), and not "all" or "default", which the kernel's per-interface sysctl folders
/// (/proc/sys/net/ipv4/conf/all, …/default) already use.
/// </summary>
public static partial class InterfaceNameRules
{
    public const int MaxLength = 15;

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not (to follow "Interface name").</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required";
        }

        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters (Linux IFNAMSIZ)";
        }

        if (!NamePattern().IsMatch(name))
        {
            return "may only hold ASCII letters, digits, '_', '.' and '-', and must not start with '-' or '.'";
        }

        return name is "all" or "default" ? $"'{name}' is reserved by the kernel" : null;
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
