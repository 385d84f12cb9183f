using System.Text.RegularExpressions;

namespace WebVirt.Web.Vms;

/// <summary>
/// The rules for VM tags: short lower-case labels (letters, digits, '.', '_', '-'), a few per VM, no duplicates.
/// Lower case so that "Web" and "web" are one tag in filters and search.
/// </summary>
internal static partial class VmTags
{
    public const int MaxTags = 16;
    public const int MaxLength = 32;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,31}\\z")]
    private static partial Regex TagPattern();

    /// <summary>The tag as stored (trimmed, lower case), or null with <paramref name="error"/> set.</summary>
    public static string? Normalize(string? tag, out string? error)
    {
        var normalized = tag?.Trim().ToLowerInvariant() ?? "";
        error = TagPattern().IsMatch(normalized)
            ? null
            : $"'{tag}' is not a valid tag: use 1-{MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit";
        return error is null ? normalized : null;
    }

    /// <summary>The normalized, de-duplicated list, or the errors that make it unacceptable.</summary>
    public static (List<string> Tags, List<string> Errors) Normalize(IEnumerable<string?> tags)
    {
        var result = new List<string>();
        var errors = new List<string>();
        foreach (var tag in tags)
        {
            if (Normalize(tag, out var error) is not { } normalized)
            {
                errors.Add($"tags: {error}");
            }
            else if (!result.Contains(normalized))
            {
                result.Add(normalized);
            }
        }

        if (result.Count > MaxTags)
        {
            errors.Add($"tags: at most {MaxTags} per VM");
        }

        return (result, errors);
    }
}
