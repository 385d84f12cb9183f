using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tasks;

/// <summary>
/// Writes tasks, their log lines and their audit rows, and raises <see cref="InventoryNotifier.TaskChanged"/>
/// after every write. Thread-safe: each call uses its own short-lived context.
/// </summary>
internal sealed class TaskLog(
    IDbContextFactory<WebVirtDbContext> contextFactory,
    InventoryNotifier notifier,
    TimeProvider time,
    ILogger<TaskLog> logger)
{
    /// <summary>What a task still running when the panel stopped is failed with at the next start.</summary>
    public const string InterruptedError = "The panel stopped while this task was running.";

    // The next log line number per task, so concurrent appends to one task never take the same number.
    private readonly ConcurrentDictionary<Guid, StrongBox<int>> sequences = new();

    /// <summary>Creates a running task and its audit row (<paramref name="details"/> go there) in one transaction.</summary>
    public async Task<TaskRecord> StartAsync(
        string kind,
        string targetType,
        string targetId,
        string? targetName,
        string userName,
        string? details = null,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            TargetType = targetType,
            TargetId = targetId,
            TargetName = targetName,
            UserName = userName,
            Status = TaskState.Running,
            StartedAt = now,
        };

        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            context.Tasks.Add(task);
            context.AuditEntries.Add(Audit(task, now, details, success: true));
            await context.SaveChangesAsync(cancellationToken);
        }

        sequences[task.Id] = new StrongBox<int>(0);
        logger.TaskStarted(task.Id, kind, targetType, targetId, userName);
        notifier.NotifyTaskChanged(task.Id);
        return task;
    }

    /// <summary>Adds a line to the task's log; lines are numbered from 1 in the order of these calls.</summary>
    public async Task AppendAsync(Guid taskId, string text, CancellationToken cancellationToken = default)
    {
        var sequence = await NextSequenceAsync(taskId, cancellationToken);
        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            context.TaskLogLines.Add(new TaskLogLine { TaskId = taskId, Sequence = sequence, At = time.GetUtcNow(), Text = text });
            await context.SaveChangesAsync(cancellationToken);
        }

        notifier.NotifyTaskChanged(taskId);
    }

    /// <summary>Sets how far a running task is, 0..1 (values outside are clamped); ignored once the task ended.</summary>
    public async Task ReportProgressAsync(Guid taskId, double progress, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(progress))
        {
            throw new ArgumentOutOfRangeException(nameof(progress), "Progress must be a number between 0 and 1.");
        }

        var value = Math.Clamp(progress, 0, 1);
        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await context.Tasks
                .Where(t => t.Id == taskId && t.Status == TaskState.Running)
                .ExecuteUpdateAsync(setters => setters.SetProperty(t => t.Progress, value), cancellationToken);
        }

        notifier.NotifyTaskChanged(taskId);
    }

    /// <summary>Ends the task as succeeded and writes its outcome to the audit trail.</summary>
    public Task CompleteAsync(Guid taskId, CancellationToken cancellationToken = default) =>
        EndAsync(taskId, error: null, cancellationToken);

    /// <summary>Ends the task as failed with <paramref name="error"/> and writes its outcome to the audit trail.</summary>
    public Task FailAsync(Guid taskId, string error, CancellationToken cancellationToken = default) =>
        EndAsync(taskId, error, cancellationToken);

    /// <summary>Fails every task still marked running (left by a previous run of the panel); returns how many.</summary>
    public async Task<int> FailInterruptedAsync(CancellationToken cancellationToken = default)
    {
        List<TaskRecord> interrupted;
        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            interrupted = await context.Tasks.Where(t => t.Status == TaskState.Running).ToListAsync(cancellationToken);
            var now = time.GetUtcNow();
            foreach (var task in interrupted)
            {
                End(task, now, InterruptedError);
                context.AuditEntries.Add(Audit(task, now, InterruptedError, success: false));
            }

            await context.SaveChangesAsync(cancellationToken);
        }

        foreach (var task in interrupted)
        {
            notifier.NotifyTaskChanged(task.Id);
        }

        return interrupted.Count;
    }

    private async Task EndAsync(Guid taskId, string? error, CancellationToken cancellationToken)
    {
        await using (var context = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var task = await context.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken)
                ?? throw new InvalidOperationException($"There is no task {taskId}.");
            if (task.Status != TaskState.Running)
            {
                logger.TaskAlreadyEnded(taskId, task.Status);
                return;
            }

            var now = time.GetUtcNow();
            End(task, now, error);
            context.AuditEntries.Add(Audit(task, now, error ?? "completed", success: error is null));
            await context.SaveChangesAsync(cancellationToken);

            if (error is null)
            {
                logger.TaskSucceeded(taskId, task.Kind);
            }
            else
            {
                logger.TaskFailed(taskId, task.Kind, error);
            }
        }

        sequences.TryRemove(taskId, out _);
        notifier.NotifyTaskChanged(taskId);
    }

    private async ValueTask<int> NextSequenceAsync(Guid taskId, CancellationToken cancellationToken)
    {
        if (!sequences.TryGetValue(taskId, out var counter))
        {
            // A task this instance did not start (or one that already ended): continue after its last line.
            await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
            var last = await context.TaskLogLines.Where(l => l.TaskId == taskId).MaxAsync(l => (int?)l.Sequence, cancellationToken) ?? 0;
            counter = sequences.GetOrAdd(taskId, new StrongBox<int>(last));
        }

        return Interlocked.Increment(ref counter.Value);
    }

    private static void End(TaskRecord task, DateTimeOffset now, string? error)
    {
        task.Status = error is null ? TaskState.Succeeded : TaskState.Failed;
        task.EndedAt = now;
        task.Error = error;
        if (error is null)
        {
            task.Progress = 1;
        }
    }

    private static AuditEntry Audit(TaskRecord task, DateTimeOffset at, string? details, bool success) => new()
    {
        At = at,
        UserName = task.UserName,
        Action = task.Kind,
        TargetType = task.TargetType,
        TargetId = task.TargetId,
        Details = details,
        Success = success,
        TaskId = task.Id,
    };
}
