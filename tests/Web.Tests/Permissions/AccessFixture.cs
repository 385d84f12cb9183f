using System.Security.Claims;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Permissions;

/// <summary>Writes users, groups, pools, VMs and ACL entries straight into a real inventory database, for resolution tests.</summary>
internal sealed class AccessFixture(InventoryDatabase database)
{
    public PermissionService Service { get; } = new(database.Contexts, database.Notifier);

    public static ClaimsPrincipal Principal(string userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, userId)], "test"));

    public async Task<ClaimsPrincipal> UserAsync(string name)
    {
        await using var db = await database.OpenAsync();
        var user = new WebVirtUser { Id = Guid.NewGuid().ToString(), UserName = name, NormalizedUserName = name.ToUpperInvariant() };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return Principal(user.Id);
    }

    public async Task<Guid> GroupAsync(string name, params ClaimsPrincipal[] members)
    {
        await using var db = await database.OpenAsync();
        var group = new AccessGroup { Id = Guid.NewGuid(), Name = name };
        group.Members.AddRange(members.Select(m => new AccessGroupMember { GroupId = group.Id, UserId = IdOf(m) }));
        db.AccessGroups.Add(group);
        await db.SaveChangesAsync();
        Service.NotifyChanged();
        return group.Id;
    }

    public async Task<Guid> VmAsync(HostRecord host, string name, string? pool = null)
    {
        await using var db = await database.OpenAsync();
        var vm = new VmRecord { Id = Guid.NewGuid(), HostId = host.Id, Name = name };
        db.Vms.Add(vm);
        if (pool is not null)
        {
            if (await db.ResourcePools.FindAsync(pool) is null)
            {
                db.ResourcePools.Add(new ResourcePool { Name = pool });
            }

            db.PoolMembers.Add(new PoolMember { VmId = vm.Id, PoolName = pool });
        }

        await db.SaveChangesAsync();
        database.Notifier.NotifyVmChanged(vm.Id);
        return vm.Id;
    }

    public Task GrantAsync(string path, ClaimsPrincipal user, string role, bool propagate = true) =>
        AddAsync(new AclEntry { Id = Guid.NewGuid(), Path = path, UserId = IdOf(user), RoleName = role, Propagate = propagate });

    public Task GrantAsync(string path, Guid groupId, string role, bool propagate = true) =>
        AddAsync(new AclEntry { Id = Guid.NewGuid(), Path = path, GroupId = groupId, RoleName = role, Propagate = propagate });

    public async Task CustomRoleAsync(string name, params string[] privileges)
    {
        await using var db = await database.OpenAsync();
        db.CustomRoles.Add(new CustomRole { Name = name, PrivilegeList = string.Join(",", privileges) });
        await db.SaveChangesAsync();
        Service.NotifyChanged();
    }

    public static string IdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private async Task AddAsync(AclEntry entry)
    {
        await using var db = await database.OpenAsync();
        db.AclEntries.Add(entry);
        await db.SaveChangesAsync();
        Service.NotifyChanged();
    }
}
