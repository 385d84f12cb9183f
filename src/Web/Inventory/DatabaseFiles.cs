namespace WebVirt.Web.Inventory;

/// <summary>
/// Keeps the SQLite inventory (password hashes, token hashes, the sealed keys of encrypted disks) readable by the
/// panel's user alone. SQLite gives its -wal and -shm files the main file's permissions, so a main file made
/// 0600 before the first open keeps all three closed; files from before this rule are narrowed at start.
/// </summary>
internal static class DatabaseFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void RestrictToOwner(string? dataSource)
    {
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        var path = Path.GetFullPath(dataSource);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
            {
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists))
        {
            File.SetUnixFileMode(file, OwnerOnly);
        }
    }
}
