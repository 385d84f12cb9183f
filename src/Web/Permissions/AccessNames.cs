using System.Text.RegularExpressions;

namespace WebVirt.Web.Permissions;

/// <summary>Names of resource pools, groups and custom roles: they appear in ACL paths, so no '/' or spaces.</summary>
internal static partial class AccessNames
{
    public const string Rule = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex NamePattern();
}
