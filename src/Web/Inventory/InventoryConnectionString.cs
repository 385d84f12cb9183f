using Microsoft.Data.Sqlite;

namespace WebVirt.Web.Inventory;

/// <summary>Turns the configured connection string into the one the panel opens.</summary>
internal static class InventoryConnectionString
{
    /// <summary>
    /// Makes a relative database path absolute against <paramref name="baseDirectory"/> (so the database does not
    /// move with the process's working directory), creates the file's folder, and sets the command timeout that
    /// Microsoft.Data.Sqlite also uses as its retry limit for a busy database.
    /// </summary>
    public static string Resolve(string connectionString, string baseDirectory, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        };

        if (IsFile(builder))
        {
            var path = Path.GetFullPath(builder.DataSource, baseDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        return builder.ToString();
    }

    private static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory
        && !string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal)
        && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
}
