using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Backups;

/// <summary>
/// Runs due backup schedules, one after the other, checking twice a minute. A run that fails is recorded as a
/// failed task and the schedule moves on to its next time, so one broken VM does not stall the others. Each run
/// re-checks its owner's access (<see cref="BackupOperations.RunScheduledAsync"/>).
/// </summary>
internal sealed partial class BackupScheduler(
    IServiceScopeFactory scopes,
    IDbContextFactory<WebVirtDbContext> contexts,
    TimeProvider time,
    ILogger<BackupScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SchedulerFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Backs up every VM whose schedule is due; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<BackupScheduleRecord> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // DateTimeOffset is stored as ticks: compare in memory rather than trust a translated comparison.
            due = [.. (await db.BackupSchedules.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken)).Where(s => s.NextRunAt <= now)];
        }

        foreach (var schedule in due)
        {
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                // Moved on before the run, so a run longer than the check interval is not started twice.
                await db.BackupSchedules.Where(s => s.VmId == schedule.VmId).ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.LastRunAt, now)
                    .SetProperty(s => s.NextRunAt, BackupSchedulePlanner.Next(schedule.DailyAtMinute, schedule.EveryHours, now)), cancellationToken);
            }

            using var scope = scopes.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<BackupOperations>().RunScheduledAsync(schedule);
            ScheduledBackupRan(logger, schedule.VmId, result.Status.ToString(), result.Message);
        }

        return due.Count;
    }

    [LoggerMessage(5201, LogLevel.Error, "The backup scheduler failed; it tries again at the next check")]
    private static partial void SchedulerFailed(ILogger logger, Exception exception);

    [LoggerMessage(5202, LogLevel.Information, "Scheduled backup of VM {VmId}: {Status}: {Message}")]
    private static partial void ScheduledBackupRan(ILogger logger, Guid vmId, string status, string message);
}
