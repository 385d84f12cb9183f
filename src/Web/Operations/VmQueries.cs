using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Operations;

/// <summary>The VM as operations load it: with its host, disks and NICs; a VM pending deletion counts as gone.</summary>
internal static class VmQueries
{
    /// <summary>Tracked, for an operation that changes the record.</summary>
    public static Task<VmRecord?> LoadAsync(WebVirtDbContext db, Guid vmId) => Find(db.Vms, vmId);

    /// <summary>Untracked, for an operation that only reads it.</summary>
    public static Task<VmRecord?> ReadAsync(WebVirtDbContext db, Guid vmId) => Find(db.Vms.AsNoTracking(), vmId);

    private static Task<VmRecord?> Find(IQueryable<VmRecord> vms, Guid vmId) =>
        vms.AsSplitQuery().Include(v => v.Host).Include(v => v.Disks).Include(v => v.Nics).SingleOrDefaultAsync(v => v.Id == vmId && !v.PendingDeletion);
}
