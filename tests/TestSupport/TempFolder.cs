namespace WebVirt.TestSupport;

/// <summary>
/// A temporary folder that QEMU, running as its own unprivileged user, can traverse (mode 0755 rather than
/// mkdtemp's 0700), deleted on dispose. Short paths: unix socket paths are limited to 107 bytes.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "wv")
    {
        Path = System.IO.Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The names of everything in the folder, sorted: what a test left behind.</summary>
    public IReadOnlyList<string> Entries() =>
        [.. Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A QEMU that is still exiting may hold a file for a moment; the folder is in /tmp anyway.
        }
    }
}
