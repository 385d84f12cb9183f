using System.Text.RegularExpressions;

namespace WebVirt.Rules.Snapshots;

/// <summary>
/// What a snapshot name and description may be. Names become qcow2 snapshot tags and qemu-img arguments:
/// letters, digits, '.', '_' and '-', starting with a letter or digit (never '-', so never an option), and
/// not all digits (qemu would take those for a snapshot id).
/// </summary>
public static partial class SnapshotNameRules
{
    public const int MaxNameLength = 40;
    public const int MaxDescriptionLength = 500;

    /// <summary>Null when <paramref name="name"/> is acceptable, else why not (to follow "Snapshot name").</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required";
        }

        if (name.Length > MaxNameLength)
        {
            return $"must be at most {MaxNameLength} characters";
        }

        if (!NamePattern().IsMatch(name))
        {
            return $"'{name}' may only hold letters, digits, '.', '_' and '-', and must start with a letter or digit";
        }

        return name.All(char.IsAsciiDigit) ? $"'{name}' must not be all digits" : null;
    }

    /// <summary>Null when <paramref name="description"/> is acceptable (absent, or short and without control characters other than newlines).</summary>
    public static string? CheckDescription(string? description)
    {
        if (description is null)
        {
            return null;
        }

        if (description.Length > MaxDescriptionLength)
        {
            return $"must be at most {MaxDescriptionLength} characters";
        }

        return description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') ? "must not contain control characters" : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
