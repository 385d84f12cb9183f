using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;

namespace WebVirt.Web.Tasks;

/// <summary>The reads behind the task panel and its log dialog, each limited to a <see cref="TaskScope"/>.</summary>
internal sealed class TaskFeed(IDbContextFactory<WebVirtDbContext> contexts, PermissionService permissions)
{
    public async Task<TaskScope> ScopeOfAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        new(await permissions.VmsWithAsync(user, Privileges.VmAudit, cancellationToken),
            await permissions.HasAsync(user, AclPaths.Root, Privileges.SysAudit, cancellationToken));

    /// <summary>The newest <paramref name="count"/> tasks the scope sees, newest first.</summary>
    public async Task<List<TaskRecord>> RecentAsync(TaskScope scope, int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Visible(db.Tasks.AsNoTracking(), scope)
            .OrderByDescending(t => t.StartedAt)
            .Take(count)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The task when it exists and the scope sees it.</summary>
    public async Task<TaskRecord?> FindAsync(TaskScope scope, Guid taskId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        return task is not null && scope.Sees(task) ? task : null;
    }

    /// <summary>The task's log lines after <paramref name="afterSequence"/>, in order.</summary>
    public async Task<List<TaskLogLine>> LinesAsync(Guid taskId, int afterSequence, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TaskLogLines.AsNoTracking()
            .Where(l => l.TaskId == taskId && l.Sequence > afterSequence)
            .OrderBy(l => l.Sequence)
            .ToListAsync(cancellationToken);
    }

    private static IQueryable<TaskRecord> Visible(IQueryable<TaskRecord> tasks, TaskScope scope)
    {
        if (scope.Vms is null)
        {
            return scope.OtherTargets ? tasks : tasks.Where(t => t.TargetType == TaskScope.VmTarget);
        }

        var vmIds = scope.Vms.Select(id => id.ToString()).ToList();
        return scope.OtherTargets
            ? tasks.Where(t => t.TargetType != TaskScope.VmTarget || vmIds.Contains(t.TargetId))
            : tasks.Where(t => t.TargetType == TaskScope.VmTarget && vmIds.Contains(t.TargetId));
    }
}
