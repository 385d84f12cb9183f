using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Components.Shared;

/// <summary>The read queries of the UI, each on a short-lived context from the factory.</summary>
internal static class InventoryQueries
{
    public static async Task<List<HostSummary>> HostsAsync(IDbContextFactory<WebVirtDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var hosts = await db.Hosts.AsNoTracking().Where(h => h.RevokedAt == null).Select(h => ToSummary(h)).ToListAsync();
        return [.. hosts.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static async Task<HostSummary?> HostAsync(IDbContextFactory<WebVirtDbContext> contexts, Guid id)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.Hosts.AsNoTracking().Where(h => h.Id == id && h.RevokedAt == null).Select(h => ToSummary(h)).SingleOrDefaultAsync();
    }

    public static async Task<List<VmRow>> VmsAsync(IDbContextFactory<WebVirtDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var vms = await Rows(db, db.Vms).ToListAsync();
        return [.. vms.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Only the VMs in <paramref name="only"/>; null means all of them.</summary>
    public static async Task<List<VmRow>> VmsAsync(IDbContextFactory<WebVirtDbContext> contexts, IReadOnlySet<Guid>? only)
    {
        if (only is null)
        {
            return await VmsAsync(contexts);
        }

        await using var db = await contexts.CreateDbContextAsync();
        var vms = await Rows(db, db.Vms.Where(v => only.Contains(v.Id))).ToListAsync();
        return [.. vms.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public static async Task<VmRow?> VmAsync(IDbContextFactory<WebVirtDbContext> contexts, Guid id)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await Rows(db, db.Vms.Where(v => v.Id == id)).SingleOrDefaultAsync();
    }

    // Filters go before this projection: EF cannot translate a Where on the constructed record.
    // The pool comes from a correlated subquery (a VM is in one pool at most), so the row stays one SELECT.
    private static IQueryable<VmRow> Rows(WebVirtDbContext db, IQueryable<VmRecord> vms) =>
        vms.AsNoTracking()
            .Where(v => !v.PendingDeletion)
            .Select(v => new VmRow(v.Id, v.Name, v.HostId, v.Host!.Name, v.ActualState, v.DesiredState,
                v.Sockets * v.Cores * v.Threads, v.MemoryMiB, v.LastExit, v.StateMismatch, v.Tags, v.PendingDefinition != null,
                db.PoolMembers.Where(m => m.VmId == v.Id).Select(m => m.PoolName).FirstOrDefault()));

    private static HostSummary ToSummary(HostRecord h) =>
        new(h.Id, h.Name, h.Connected, h.IsLocal, h.CpuModel, h.CpuThreads, h.MemoryBytes, h.StorageFreeBytes,
            h.StorageTotalBytes, h.Accelerator, h.AcceleratorReason, h.QemuVersion, h.LastSeenAt, HostRecordMapper.IsolationGapsOf(h));
}
