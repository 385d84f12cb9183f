using System.Text.RegularExpressions;
using WebVirt.Shared.Storage;

namespace WebVirt.Rules.Storage;

/// <summary>
/// The names a file in a pool may have: one plain name (no folder, no '..', no leading dot, nothing a shell or
/// QEMU option could misread), with an extension that says what it is.
/// </summary>
public static partial class PoolFileNames
{
    /// <summary>Unfinished uploads and downloads wait here, inside the pool, so that the final move is a rename.</summary>
    public const string PartialFolder = ".partial";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\z")]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="name"/> is a plain file name, else why not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the file name is empty";
        }

        if (name.Contains('/') || name.Contains('\\') || name.Contains("..", StringComparison.Ordinal))
        {
            return $"'{Printable(name)}' is not a plain file name: folders and '..' are not allowed";
        }

        return Pattern().IsMatch(name)
            ? null
            : $"'{Printable(name)}' is not a valid file name: use 1-200 letters, digits, '.', '_', '+' or '-', starting with a letter or digit";
    }

    /// <summary>Null when a file of this name may be uploaded or downloaded into a pool, else why not.</summary>
    public static string? CheckTransferable(string? name) =>
        Check(name) ?? (KindOf(name!) is PoolFileKind.Iso or PoolFileKind.DiskImage
            ? null
            : $"'{name}' has no accepted extension: only .iso, .qcow2, .raw and .img files may be stored");

    public static PoolFileKind KindOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".iso" => PoolFileKind.Iso,
        ".qcow2" or ".raw" or ".img" => PoolFileKind.DiskImage,
        _ => PoolFileKind.Other,
    };

    // Names end up in messages and logs: keep them to one printable, bounded line.
    private static string Printable(string name) => new([.. name.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
