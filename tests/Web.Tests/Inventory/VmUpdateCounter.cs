using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WebVirt.Web.Tests.Inventory;

/// <summary>Counts the database commands that update the Vms table: one per save that wrote a VM.</summary>
internal sealed class VmUpdateCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Observe(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Observe(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Observe(DbCommand command)
    {
        if (command.CommandText.Contains("UPDATE \"Vms\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
