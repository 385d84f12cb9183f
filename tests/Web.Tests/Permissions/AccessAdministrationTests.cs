using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Tests.Hosting;
using WebVirt.Web.Vms;

namespace WebVirt.Web.Tests.Permissions;

/// <summary>Access changes refuse bad input with a clear message and change nothing; they are audited; nobody can lock the panel out of its own administration.</summary>
public sealed class AccessAdministrationTests : IDisposable
{
    private readonly PanelFactory _factory = new();

    [Theory]
    [InlineData("/nowhere", "is not an ACL path")]
    [InlineData("/vms/not-a-guid", "is not an id")]
    [InlineData("/vms/4f1d8b6e-0000-4000-8000-000000000000", "no VM with id")]
    [InlineData("/hosts/4f1d8b6e-0000-4000-8000-000000000000", "no host with id")]
    [InlineData("/pools/ghost", "no pool named 'ghost'")]
    [InlineData("/pools/a b", "is not a pool name")]
    [InlineData("/vms/", "is not an ACL path")]
    public async Task AddAclEntry_UnknownPath_IsRefusedWithAClearMessage(string path, string expected)
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "alice");

        var result = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, path, userId, null, BuiltInRoles.Auditor, true), mustSucceed: false);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(db => db.AclEntries));
    }

    [Fact]
    public async Task AddAclEntry_UnknownRoleOrNoSubject_IsRefused()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "alice");

        var role = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, "Superuser", true), mustSucceed: false);
        var nobody = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", null, null, BuiltInRoles.Auditor, true), mustSucceed: false);

        Assert.Contains("no role named 'Superuser'", role.Message, StringComparison.Ordinal);
        Assert.Equal(OperationStatus.Invalid, nobody.Status);
    }

    [Fact]
    public async Task UserWithoutPermissionsModify_CannotChangeAccess()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "operator");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Operator, true));
        var principal = AccessFixture.Principal(userId);
        using var scope = _factory.Services.CreateScope();
        var access = scope.ServiceProvider.GetRequiredService<WebVirt.Web.Permissions.Administration.AccessAdministration>();

        var result = await access.AddAclEntryAsync(principal, "/", userId, null, BuiltInRoles.Administrator, true);
        var user = await access.CreateUserAsync(principal, "mallory", null, PanelAccess.UserPassword, false);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Equal(OperationStatus.Forbidden, user.Status);
        Assert.Equal(2, await CountAsync(db => db.AclEntries));
    }

    [Fact]
    public async Task TheLastAdministrator_CannotBeDeletedDisabledOrStrippedOfTheirGrant()
    {
        var other = await PanelAccess.CreateUserAsync(_factory, "helper");
        var adminId = AccessFixture.IdOf(await PanelAccess.AdminPrincipalAsync(_factory));
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            Assert.Equal(1, await db.AclEntries.CountAsync());
        }

        var self = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.DeleteUserAsync(admin, adminId), mustSucceed: false);
        var entryId = await SingleEntryIdAsync();
        var strip = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.RemoveAclEntryAsync(admin, entryId), mustSucceed: false);

        Assert.Equal(OperationStatus.Conflict, self.Status);
        Assert.Contains("your own account", self.Message, StringComparison.Ordinal);
        Assert.Equal(OperationStatus.Conflict, strip.Status);
        Assert.Equal(1, await CountAsync(db => db.AclEntries));

        // With a second administrator, the first one's grant may go.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", other, null, BuiltInRoles.Administrator, true));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.RemoveAclEntryAsync(admin, entryId));
    }

    [Fact]
    public async Task Changes_AreAudited()
    {
        await PanelAccess.CreateUserAsync(_factory, "alice");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreatePoolAsync(admin, "frontend", null));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SaveRoleAsync(admin, "ConsoleUser", [Privileges.VmAudit, Privileges.VmConsole]));

        await using var db = await Contexts().CreateDbContextAsync();
        var actions = await db.AuditEntries.Where(a => a.Action.StartsWith("access.")).Select(a => a.Action + " by " + a.UserName).ToListAsync();
        Assert.Equal(["access.user.create by admin", "access.pool.create by admin", "access.role.create by admin"], actions);
    }

    [Fact]
    public async Task DisabledUser_TokenIsRevoked_AndEnablingDoesNotRestoreIt()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "temp");
        using var client = await PanelAccess.ClientAsync(_factory, "temp");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/vms")).StatusCode);

        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: false));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/vms")).StatusCode);

        // Revoked, not only refused while disabled: a token that may have leaked stays dead.
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetUserEnabledAsync(admin, userId, enabled: true));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/vms")).StatusCode);
    }

    [Fact]
    public async Task DeletingAUser_RemovesTheirGrantsAndMemberships()
    {
        var userId = await PanelAccess.CreateUserAsync(_factory, "leaver");
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.CreateGroupAsync(admin, "team", null));
        await using (var db = await Contexts().CreateDbContextAsync())
        {
            var groupId = (await db.AccessGroups.SingleAsync()).Id;
            await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SetMembershipAsync(admin, groupId, userId, true));
        }

        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.AddAclEntryAsync(admin, "/", userId, null, BuiltInRoles.Auditor, true));
        await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.DeleteUserAsync(admin, userId));

        Assert.Equal(1, await CountAsync(db => db.AclEntries));
        Assert.Equal(0, await CountAsync(db => db.AccessGroupMembers));
    }

    [Theory]
    [InlineData("Administrator", "built-in")]
    [InlineData("bad name", "name:")]
    public async Task SaveRole_BuiltInOrBadName_IsRefused(string name, string expected)
    {
        var result = await PanelAccess.AsAdminAsync(_factory, (access, admin) => access.SaveRoleAsync(admin, name, [Privileges.VmAudit]), mustSucceed: false);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    private async Task<Guid> SingleEntryIdAsync()
    {
        await using var db = await Contexts().CreateDbContextAsync();
        return (await db.AclEntries.SingleAsync()).Id;
    }

    private async Task<int> CountAsync(Func<WebVirtDbContext, IQueryable<object>> set)
    {
        await using var db = await Contexts().CreateDbContextAsync();
        return await set(db).CountAsync();
    }

    private IDbContextFactory<WebVirtDbContext> Contexts() => _factory.Services.GetRequiredService<IDbContextFactory<WebVirtDbContext>>();

    public void Dispose() => _factory.Dispose();
}
