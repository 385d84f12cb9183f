using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebVirt.Web.Tests.Storage;

/// <summary>Fails every write of a task's progress the way SQLite fails a write to a full disk; other commands run.</summary>
internal sealed class FailingProgressInterceptor : DbCommandInterceptor
{
    public const string Message = "database or disk is full";

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        command.CommandText.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) && command.CommandText.Contains("\"Progress\"", StringComparison.Ordinal)
            ? throw new SqliteException(Message, 13)
            : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
}
