using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Sets SQLite's busy timeout on every connection the context opens: the setting lives on the connection, not in
/// the file, and without it a writer that meets another writer's lock fails with "database is locked" at once
/// (Microsoft.Data.Sqlite only retries in 150 ms sleeps). With it SQLite itself waits for the lock.
/// </summary>
internal sealed class SqliteBusyTimeoutInterceptor(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string pragma = string.Create(
        CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }
}
