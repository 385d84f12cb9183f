using System.Text.RegularExpressions;

namespace WebVirt.Rules.Storage;

/// <summary>A SHA-256 as the library writes it: 64 lower-case hexadecimal digits.</summary>
public static partial class Sha256Text
{
    [GeneratedRegex("^[0-9a-f]{64}\\z")]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);
}
