using Microsoft.Extensions.Logging;

namespace WebVirt.Web.Inventory;

internal static partial class InventoryLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Inventory database {Database}: applying migrations {Migrations}")]
    public static partial void ApplyingMigrations(this ILogger logger, string database, string migrations);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Inventory database {Database} is ready (journal mode {JournalMode})")]
    public static partial void DatabaseReady(this ILogger logger, string database, string journalMode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Marked {Count} task(s) failed that were still running when the panel last stopped")]
    public static partial void InterruptedTasksFailed(this ILogger logger, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "A subscriber to {Event} threw; the other subscribers were still notified")]
    public static partial void SubscriberFailed(this ILogger logger, string @event, Exception error);
}
