using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// Everything a refused request could have changed, as one string: the inventory and access tables and the calls the
/// fake agent received. Volatile columns (last contact, connection flags, task and audit rows) are left out: a refusal
/// is audited, and that is not a change of state.
/// </summary>
internal static class StateFingerprint
{
    private static readonly JsonSerializerOptions Json = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    public static async Task<string> TakeAsync(IDbContextFactory<WebVirtDbContext> contexts, IReadOnlyCollection<string> agentCalls)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var state = new
        {
            Vms = await db.Vms.AsNoTracking().OrderBy(v => v.Id).Select(v => new
            {
                v.Id, v.Name, v.Description, v.Tags, v.Sockets, v.Cores, v.MemoryMiB, v.Autostart, v.StartOrder, v.IsTemplate,
                v.CdromIsoPath, v.DefinitionVersion, v.DesiredState, v.PendingDeletion, v.PendingDefinition,
            }).ToListAsync(),
            Disks = await db.Disks.AsNoTracking().ToListAsync(),
            Nics = await db.Nics.AsNoTracking().ToListAsync(),
            Hosts = await db.Hosts.AsNoTracking().OrderBy(h => h.Id).Select(h => new { h.Id, h.Name, h.TokenHash, h.RevokedAt }).ToListAsync(),
            StoragePools = await db.StoragePools.AsNoTracking().OrderBy(p => p.Id).ToListAsync(),
            Users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => new { u.Id, u.UserName, u.PasswordHash, u.SecurityStamp, u.LockoutEnd }).ToListAsync(),
            Groups = await db.AccessGroups.AsNoTracking().ToListAsync(),
            Members = await db.AccessGroupMembers.AsNoTracking().ToListAsync(),
            Roles = await db.CustomRoles.AsNoTracking().ToListAsync(),
            Pools = await db.ResourcePools.AsNoTracking().ToListAsync(),
            PoolMembers = await db.PoolMembers.AsNoTracking().ToListAsync(),
            Acl = await db.AclEntries.AsNoTracking().ToListAsync(),
            ShareLinks = await db.ConsoleShareLinks.AsNoTracking().ToListAsync(),
            Schedules = await db.BackupSchedules.AsNoTracking().ToListAsync(),
            Tokens = await db.ApiTokens.AsNoTracking().CountAsync(),
            AgentCalls = agentCalls.ToList(),
        };
        return JsonSerializer.Serialize(state, Json);
    }
}
