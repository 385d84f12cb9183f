using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tasks;

/// <summary>Audit rows for actions that are not tasks (sign-in, a refused request); tasks write their own via <see cref="TaskLog"/>.</summary>
internal sealed class AuditLog(IDbContextFactory<WebVirtDbContext> contextFactory, TimeProvider time)
{
    public async Task<AuditEntry> WriteAsync(
        string userName,
        string action,
        string targetType,
        string targetId,
        string? details,
        bool success,
        CancellationToken cancellationToken = default)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            UserName = userName,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Details = details,
            Success = success,
        };

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        context.AuditEntries.Add(entry);
        await context.SaveChangesAsync(cancellationToken);
        return entry;
    }
}
