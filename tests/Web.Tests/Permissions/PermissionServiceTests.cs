using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Permissions;

/// <summary>Permission resolution on a real SQLite inventory: propagation, groups, pools, hosts, union of roles.</summary>
public sealed class PermissionServiceTests : IAsyncLifetime
{
    private InventoryDatabase _database = null!;
    private AccessFixture _access = null!;

    public async Task InitializeAsync()
    {
        _database = await InventoryDatabase.CreateAsync();
        _access = new AccessFixture(_database);
    }

    public async Task DisposeAsync()
    {
        _access.Service.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task DisabledUser_HoldsNothing_WhateverTheAclStillGrants()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var admin = await _access.UserAsync("gone-admin");
        await _access.GrantAsync(AclPaths.Root, admin, BuiltInRoles.Administrator);
        Assert.True(await _access.Service.HasOnVmAsync(admin, vm, Privileges.VmConsole));

        await using (var db = await _database.OpenAsync())
        {
            var user = await db.Users.SingleAsync(u => u.UserName == "gone-admin");
            user.LockoutEnabled = true;
            user.LockoutEnd = DateTimeOffset.MaxValue;
            await db.SaveChangesAsync();
        }

        _access.Service.NotifyChanged();
        Assert.False(await _access.Service.HasOnVmAsync(admin, vm, Privileges.VmConsole));
        Assert.Empty((await _access.Service.VmsWithAsync(admin, Privileges.VmAudit))!);
    }

    [Fact]
    public async Task AdministratorOnRootPropagated_HasEverythingEverywhere_AndSeesAllVms()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var admin = await _access.UserAsync("root-admin");
        await _access.GrantAsync(AclPaths.Root, admin, BuiltInRoles.Administrator);

        foreach (var privilege in Privileges.All)
        {
            Assert.True(await _access.Service.HasOnVmAsync(admin, vm, privilege), privilege);
            Assert.True(await _access.Service.HasAsync(admin, AclPaths.Host(host.Id), privilege), privilege);
        }

        Assert.Null(await _access.Service.VmsWithAsync(admin, Privileges.VmAudit));
    }

    [Fact]
    public async Task GrantWithoutPropagate_AppliesOnThePathOnly()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var user = await _access.UserAsync("alice");
        await _access.GrantAsync(AclPaths.Root, user, BuiltInRoles.Auditor, propagate: false);

        Assert.True(await _access.Service.HasAsync(user, AclPaths.Root, Privileges.SysAudit));
        Assert.False(await _access.Service.HasAsync(user, AclPaths.Host(host.Id), Privileges.SysAudit));
        Assert.False(await _access.Service.HasOnVmAsync(user, vm, Privileges.VmAudit));
        Assert.Empty((await _access.Service.VmsWithAsync(user, Privileges.VmAudit))!);
    }

    [Fact]
    public async Task GrantToGroup_AppliesToItsMembersOnly()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var member = await _access.UserAsync("member");
        var outsider = await _access.UserAsync("outsider");
        var group = await _access.GroupAsync("ops", member);
        await _access.GrantAsync(AclPaths.Vm(vm), group, BuiltInRoles.Operator);

        Assert.True(await _access.Service.HasOnVmAsync(member, vm, Privileges.VmPowerMgmt));
        Assert.False(await _access.Service.HasOnVmAsync(outsider, vm, Privileges.VmAudit));
    }

    [Fact]
    public async Task GrantOnPool_CoversThePoolsVmsOnly()
    {
        var host = await _database.AddHostAsync("node1");
        var inPool = await _access.VmAsync(host, "web", pool: "frontend");
        var outside = await _access.VmAsync(host, "db");
        var user = await _access.UserAsync("ops");
        await _access.GrantAsync(AclPaths.Pool("frontend"), user, BuiltInRoles.Operator);

        Assert.True(await _access.Service.HasOnVmAsync(user, inPool, Privileges.VmPowerMgmt));
        Assert.False(await _access.Service.HasOnVmAsync(user, outside, Privileges.VmAudit));
        Assert.Equal([inPool], await _access.Service.VmsWithAsync(user, Privileges.VmAudit));
        Assert.False(await _access.Service.HasOnVmAsync(user, inPool, Privileges.VmAllocate));
    }

    [Fact]
    public async Task GrantOnHost_CoversThatHostsVmsOnly()
    {
        var node1 = await _database.AddHostAsync("node1");
        var node2 = await _database.AddHostAsync("node2");
        var onNode1 = await _access.VmAsync(node1, "web");
        var onNode2 = await _access.VmAsync(node2, "web");
        var user = await _access.UserAsync("watcher");
        await _access.GrantAsync(AclPaths.Host(node1.Id), user, BuiltInRoles.Auditor);

        Assert.True(await _access.Service.HasOnVmAsync(user, onNode1, Privileges.VmAudit));
        Assert.False(await _access.Service.HasOnVmAsync(user, onNode2, Privileges.VmAudit));
        Assert.False(await _access.Service.HasAsync(user, AclPaths.Host(node2.Id), Privileges.SysAudit));
        Assert.Equal([onNode1], await _access.Service.VmsWithAsync(user, Privileges.VmAudit));
    }

    [Fact]
    public async Task RolesFromSeveralEntries_AddUp()
    {
        var host = await _database.AddHostAsync("node1");
        var mine = await _access.VmAsync(host, "mine");
        var other = await _access.VmAsync(host, "other");
        var user = await _access.UserAsync("bob");
        var group = await _access.GroupAsync("auditors", user);
        await _access.GrantAsync(AclPaths.Root, group, BuiltInRoles.Auditor);
        await _access.GrantAsync(AclPaths.Vm(mine), user, BuiltInRoles.Operator);

        Assert.True(await _access.Service.HasOnVmAsync(user, mine, Privileges.VmPowerMgmt));
        Assert.True(await _access.Service.HasOnVmAsync(user, other, Privileges.VmAudit));
        Assert.False(await _access.Service.HasOnVmAsync(user, other, Privileges.VmPowerMgmt));
        Assert.Null(await _access.Service.VmsWithAsync(user, Privileges.VmAudit));
        Assert.Equal([mine], await _access.Service.VmsWithAsync(user, Privileges.VmPowerMgmt));
    }

    [Fact]
    public async Task NoAccess_GrantsNothing()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var user = await _access.UserAsync("nobody");
        await _access.GrantAsync(AclPaths.Root, user, BuiltInRoles.NoAccess);

        foreach (var privilege in Privileges.All)
        {
            Assert.False(await _access.Service.HasAsync(user, AclPaths.Root, privilege), privilege);
            Assert.False(await _access.Service.HasOnVmAsync(user, vm, privilege), privilege);
        }

        Assert.Empty((await _access.Service.VmsWithAsync(user, Privileges.VmAudit))!);
    }

    [Fact]
    public async Task CustomRole_GrantsExactlyItsPrivileges()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");
        var user = await _access.UserAsync("console-only");
        await _access.CustomRoleAsync("ConsoleUser", Privileges.VmAudit, Privileges.VmConsole);
        await _access.GrantAsync(AclPaths.Vm(vm), user, "ConsoleUser");

        Assert.True(await _access.Service.HasOnVmAsync(user, vm, Privileges.VmConsole));
        Assert.False(await _access.Service.HasOnVmAsync(user, vm, Privileges.VmPowerMgmt));
    }

    [Fact]
    public async Task AnonymousOrUnknownUser_HasNothing()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web");

        Assert.False(await _access.Service.HasOnVmAsync(new ClaimsPrincipal(new ClaimsIdentity()), vm, Privileges.VmAudit));
        Assert.False(await _access.Service.HasOnVmAsync(AccessFixture.Principal("no-such-user"), vm, Privileges.VmAudit));
        Assert.Empty((await _access.Service.VmsWithAsync(new ClaimsPrincipal(new ClaimsIdentity()), Privileges.VmAudit))!);
    }

    [Fact]
    public async Task Changes_AreSeenAfterTheCacheIsInvalidated()
    {
        var host = await _database.AddHostAsync("node1");
        var user = await _access.UserAsync("ops");
        await _access.GrantAsync(AclPaths.Pool("frontend"), user, BuiltInRoles.Operator);
        Assert.Empty((await _access.Service.VmsWithAsync(user, Privileges.VmAudit))!);

        // A new VM in the pool (VmChanged for an unknown VM), then a new group grant (AccessChanged).
        var vm = await _access.VmAsync(host, "web", pool: "frontend");
        Assert.Equal([vm], await _access.Service.VmsWithAsync(user, Privileges.VmAudit));

        var other = await _access.VmAsync(host, "db");
        var group = await _access.GroupAsync("dbas", user);
        await _access.GrantAsync(AclPaths.Vm(other), group, BuiltInRoles.Auditor);
        Assert.Equal(new HashSet<Guid> { vm, other }, await _access.Service.VmsWithAsync(user, Privileges.VmAudit));
    }

    [Fact]
    public async Task DeletingAVm_TakesItOutOfItsPool()
    {
        var host = await _database.AddHostAsync("node1");
        var vm = await _access.VmAsync(host, "web", pool: "frontend");
        var user = await _access.UserAsync("ops");
        await _access.GrantAsync(AclPaths.Pool("frontend"), user, BuiltInRoles.Operator);
        Assert.True(await _access.Service.HasOnVmAsync(user, vm, Privileges.VmAudit));

        await using (var db = await _database.OpenAsync())
        {
            await db.Vms.Where(v => v.Id == vm).ExecuteDeleteAsync();
            Assert.Empty(await db.PoolMembers.ToListAsync());
        }

        _database.Notifier.NotifyVmRemoved(vm);
        Assert.False(await _access.Service.HasOnVmAsync(user, vm, Privileges.VmAudit));
    }
}
