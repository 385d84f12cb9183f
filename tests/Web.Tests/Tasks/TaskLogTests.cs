using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Tasks;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Tasks;

public sealed class TaskLogTests : IAsyncLifetime
{
    private InventoryDatabase database = null!;
    private TaskLog taskLog = null!;

    public async Task InitializeAsync()
    {
        database = await InventoryDatabase.CreateAsync();
        taskLog = database.Services.GetRequiredService<TaskLog>();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task StartAppendComplete_WritesTaskLinesInOrderAndTwoAuditRows()
    {
        var changes = new ConcurrentQueue<Guid>();
        database.Notifier.TaskChanged += changes.Enqueue;

        var task = await taskLog.StartAsync("vm.start", "vm", "b3f1", "web01", "alice", "from the VM page");
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        await taskLog.AppendAsync(task.Id, "starting QEMU");
        await taskLog.AppendAsync(task.Id, "QMP connected");
        await taskLog.ReportProgressAsync(task.Id, 0.5);
        await taskLog.AppendAsync(task.Id, "guest running");
        database.Clock.Advance(TimeSpan.FromSeconds(2));
        await taskLog.CompleteAsync(task.Id);

        await using var context = await database.OpenAsync();
        var stored = await context.Tasks.SingleAsync(t => t.Id == task.Id);
        Assert.Equal(TaskState.Succeeded, stored.Status);
        Assert.Equal(("vm.start", "vm", "b3f1", "web01", "alice"), (stored.Kind, stored.TargetType, stored.TargetId, stored.TargetName, stored.UserName));
        Assert.Equal(1.0, stored.Progress);
        Assert.Equal(task.StartedAt.AddSeconds(3), stored.EndedAt);
        Assert.Null(stored.Error);

        var lines = await context.TaskLogLines.Where(l => l.TaskId == task.Id).OrderBy(l => l.Sequence).ToListAsync();
        Assert.Equal(["starting QEMU", "QMP connected", "guest running"], lines.Select(l => l.Text));
        Assert.Equal([1, 2, 3], lines.Select(l => l.Sequence));

        var audit = await context.AuditEntries.Where(a => a.TaskId == task.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal(("alice", "vm.start", "vm", "b3f1", true), (a.UserName, a.Action, a.TargetType, a.TargetId, a.Success)));
        Assert.Equal("from the VM page", audit[0].Details);
        Assert.Equal(task.StartedAt, audit[0].At);
        Assert.Equal(stored.EndedAt, audit[1].At);

        // Start, three lines, progress, completion.
        Assert.Equal(Enumerable.Repeat(task.Id, 6), changes);
    }

    [Fact]
    public async Task Fail_RecordsErrorAndFailedAuditRow()
    {
        var task = await taskLog.StartAsync("vm.create", "vm", "c0ff", "db01", "bob");

        await taskLog.FailAsync(task.Id, "qemu-img: disk full");

        await using var context = await database.OpenAsync();
        var stored = await context.Tasks.SingleAsync(t => t.Id == task.Id);
        Assert.Equal(TaskState.Failed, stored.Status);
        Assert.Equal("qemu-img: disk full", stored.Error);
        Assert.NotNull(stored.EndedAt);
        var outcome = await context.AuditEntries.Where(a => a.TaskId == task.Id).OrderBy(a => a.Id).LastAsync();
        Assert.False(outcome.Success);
        Assert.Equal("qemu-img: disk full", outcome.Details);
    }

    [Fact]
    public async Task Complete_AfterFail_KeepsTheFailure()
    {
        var task = await taskLog.StartAsync("vm.stop", "vm", "1", null, "alice");
        await taskLog.FailAsync(task.Id, "timeout");

        await taskLog.CompleteAsync(task.Id);

        await using var context = await database.OpenAsync();
        Assert.Equal(TaskState.Failed, (await context.Tasks.SingleAsync(t => t.Id == task.Id)).Status);
        Assert.Equal(2, await context.AuditEntries.CountAsync(a => a.TaskId == task.Id));
    }

    [Fact]
    public async Task Complete_UnknownTask_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => taskLog.CompleteAsync(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(-0.5, 0.0)]
    [InlineData(0.25, 0.25)]
    [InlineData(1.5, 1.0)]
    public async Task ReportProgress_IsClampedToUnitRange(double reported, double stored)
    {
        var task = await taskLog.StartAsync("vm.clone", "vm", "1", null, "alice");

        await taskLog.ReportProgressAsync(task.Id, reported);

        await using var context = await database.OpenAsync();
        Assert.Equal(stored, (await context.Tasks.SingleAsync(t => t.Id == task.Id)).Progress);
    }

    [Fact]
    public async Task Append_ToTaskStartedByEarlierPanel_ContinuesItsNumbering()
    {
        var task = await taskLog.StartAsync("vm.backup", "vm", "1", null, "alice");
        await taskLog.AppendAsync(task.Id, "one");
        await taskLog.AppendAsync(task.Id, "two");
        var otherPanel = new TaskLog(
            database.Contexts, database.Notifier, database.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<TaskLog>.Instance);

        await otherPanel.AppendAsync(task.Id, "three");

        await using var context = await database.OpenAsync();
        Assert.Equal(3, await context.TaskLogLines.Where(l => l.TaskId == task.Id).MaxAsync(l => l.Sequence));
    }

    [Fact]
    public async Task Append_From20TasksInParallel_AllLinesLand()
    {
        const int tasks = 20;
        const int linesPerTask = 25;
        var started = await Task.WhenAll(Enumerable.Range(0, tasks)
            .Select(i => taskLog.StartAsync("vm.start", "vm", $"{i}", $"vm{i}", "alice")));

        await Task.WhenAll(started.Select(task => Task.Run(async () =>
        {
            for (var line = 1; line <= linesPerTask; line++)
            {
                await taskLog.AppendAsync(task.Id, $"line {line}");
            }

            await taskLog.CompleteAsync(task.Id);
        })));

        await using var context = await database.OpenAsync();
        Assert.Equal(tasks * linesPerTask, await context.TaskLogLines.CountAsync());
        foreach (var task in started)
        {
            var lines = await context.TaskLogLines.Where(l => l.TaskId == task.Id).OrderBy(l => l.Sequence).ToListAsync();
            Assert.Equal(Enumerable.Range(1, linesPerTask), lines.Select(l => l.Sequence));
            Assert.Equal(Enumerable.Range(1, linesPerTask).Select(n => $"line {n}"), lines.Select(l => l.Text));
        }

        Assert.Equal(tasks, await context.Tasks.CountAsync(t => t.Status == TaskState.Succeeded));
        Assert.Equal(2 * tasks, await context.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Append_ConcurrentlyToOneTask_NumbersEveryLineOnce()
    {
        var task = await taskLog.StartAsync("vm.migrate", "vm", "1", null, "alice");

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => taskLog.AppendAsync(task.Id, $"line {i}"))));

        await using var context = await database.OpenAsync();
        var sequences = await context.TaskLogLines.Where(l => l.TaskId == task.Id).Select(l => l.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 40), sequences.Order());
    }

    [Fact]
    public async Task Tasks_NewestFirst_FollowsStartTime()
    {
        var first = await taskLog.StartAsync("vm.start", "vm", "1", null, "alice");
        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await taskLog.StartAsync("vm.stop", "vm", "1", null, "alice");
        database.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var third = await taskLog.StartAsync("vm.start", "vm", "2", null, "bob");

        await using var context = await database.OpenAsync();
        var newestFirst = await context.Tasks.OrderByDescending(t => t.StartedAt).Select(t => t.Id).ToListAsync();

        Assert.Equal([third.Id, second.Id, first.Id], newestFirst);
    }
}
