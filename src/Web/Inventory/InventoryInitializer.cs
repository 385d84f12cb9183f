using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Tasks;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Brings the database up to date once per process: WAL journal (stored in the file, so it stays on),
/// migrations, and tasks that a previous run of the panel left "running" marked failed.
/// </summary>
internal sealed class InventoryInitializer(
    IDbContextFactory<WebVirtDbContext> contextFactory, TaskLog taskLog, ILogger<InventoryInitializer> logger)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool done;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (done)
            {
                return;
            }

            await MigrateAsync(cancellationToken);

            // Only this panel runs tasks against this database, so a task still marked running was cut off.
            var interrupted = await taskLog.FailInterruptedAsync(cancellationToken);
            if (interrupted > 0)
            {
                logger.InterruptedTasksFailed(interrupted);
            }

            done = true;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var database = context.Database.GetDbConnection().DataSource;
        DatabaseFiles.RestrictToOwner(database);

        // WAL lets readers (every open page) proceed while one writer commits; it must be set outside a transaction.
        var journalMode = await ScalarAsync(context, "PRAGMA journal_mode = WAL;", cancellationToken);

        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.ApplyingMigrations(database, string.Join(", ", pending));
            await context.Database.MigrateAsync(cancellationToken);
        }

        logger.DatabaseReady(database, journalMode);
    }

    private static async Task<string> ScalarAsync(WebVirtDbContext context, string sql, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        var wasClosed = connection.State == ConnectionState.Closed;
        if (wasClosed)
        {
            await context.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        finally
        {
            if (wasClosed)
            {
                await context.Database.CloseConnectionAsync();
            }
        }
    }
}
