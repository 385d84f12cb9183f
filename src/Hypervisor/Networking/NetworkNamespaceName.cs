using System.Text.RegularExpressions;

namespace WebVirt.Hypervisor.Networking;

/// <summary>A network namespace name (a file under /run/netns): letters, digits, '_', '.', '-', not an option, not a path.</summary>
internal static partial class NetworkNamespaceName
{
    public static string Require(string name) =>
        name.Length is > 0 and <= 64 && Pattern().IsMatch(name)
            ? name
            : throw new ArgumentException($"Network namespace name {System.Text.Json.JsonSerializer.Serialize(name)} may only hold 1-64 ASCII letters, digits, '_', '.' and '-', not starting with '-' or '.'", nameof(name));

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
