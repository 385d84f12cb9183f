using Microsoft.EntityFrameworkCore;
using WebVirt.Shared.Tunnels;
using WebVirt.Web.Agents;
using WebVirt.Web.Backups;
using WebVirt.Web.Clones;
using WebVirt.Web.Consoles;
using WebVirt.Web.Disks;
using WebVirt.Web.Inventory;
using WebVirt.Web.Permissions;
using WebVirt.Web.Permissions.Administration;
using WebVirt.Web.Snapshots;
using WebVirt.Web.Storage;
using WebVirt.Web.Vms;
using static WebVirt.Web.Tests.Security.OperationExpectation;

namespace WebVirt.Web.Tests.Security;

/// <summary>
/// Every public async method of the services the Blazor pages call with the signed-in user, the privilege it checks
/// and a call with harmless arguments. A new public method without an entry fails <see cref="OperationAuthorizationTests"/>.
/// </summary>
internal static class OperationTable
{
    /// <summary>The services whose methods the pages call with the circuit's user.</summary>
    public static IReadOnlyList<Type> Services { get; } =
    [
        typeof(VmOperations), typeof(SnapshotOperations), typeof(BackupOperations), typeof(DiskOperations), typeof(CloneOperations),
        typeof(PoolOperations), typeof(PoolFileOperations), typeof(UploadOperations), typeof(DownloadOperations),
        typeof(HostRegistration), typeof(AccessAdministration), typeof(ConsoleTickets), typeof(ConsoleShareLinks),
    ];

    private const string Backup = "20261201T031500Z";
    private const string AllocateSpace = Privileges.DatastoreAllocateSpace;

    public static IReadOnlyList<OperationEntry> All { get; } =
    [
        Vm("VmOperations.PowerAsync", Privileges.VmPowerMgmt, c => c.Get<VmOperations>().PowerAsync(c.Vm, PowerAction.Start, null, c.User)),
        Vm("VmOperations.PowerManyAsync", Privileges.VmPowerMgmt, c => c.Get<VmOperations>().PowerManyAsync([c.Vm], PowerAction.Stop, c.User)),
        Vm("VmOperations.UpdateOptionsAsync", Privileges.VmConfig, c => c.Get<VmOperations>().UpdateOptionsAsync(c.Vm, new UpdateVmOptionsRequest { Description = "changed" }, c.User)),
        Vm("VmOperations.UpdateHardwareAsync", Privileges.VmConfig, c => c.Get<VmOperations>().UpdateHardwareAsync(c.Vm, new UpdateVmHardwareRequest { MemoryMiB = 512 }, c.User)),
        Vm("VmOperations.DeleteAsync", Privileges.VmAllocate, c => c.Get<VmOperations>().DeleteAsync(c.Vm, false, c.User)),
        Root("VmOperations.CreateAsync", Privileges.VmAllocate, c => c.Get<VmOperations>().CreateAsync(new CreateVmRequest { Name = "made", HostId = c.Host, MemoryMiB = 256 }, c.User)),
        Internal("VmOperations.CompletePendingDeletionAsync", "called by the agent sync once the host reports the VM gone; DeleteAsync checked the user"),

        Read("SnapshotOperations.ListAsync", Privileges.VmAudit, c => c.Get<SnapshotOperations>().ListAsync(c.Vm, c.User)),
        Vm("SnapshotOperations.TakeAsync", Privileges.VmSnapshot, c => c.Get<SnapshotOperations>().TakeAsync(c.Vm, new TakeSnapshotRequest { Name = "snap1" }, c.User)),
        Vm("SnapshotOperations.RevertAsync", Privileges.VmSnapshot, c => c.Get<SnapshotOperations>().RevertAsync(c.Vm, "first", c.User)),
        Vm("SnapshotOperations.DeleteAsync", Privileges.VmSnapshot, c => c.Get<SnapshotOperations>().DeleteAsync(c.Vm, "first", c.User)),

        Read("BackupOperations.ListAsync", Privileges.VmAudit, c => c.Get<BackupOperations>().ListAsync(c.Vm, c.User)),
        Vm("BackupOperations.BackupNowAsync", Privileges.VmBackup, c => c.Get<BackupOperations>().BackupNowAsync(c.Vm, 3, c.User)),
        Vm("BackupOperations.VerifyAsync", Privileges.VmBackup, c => c.Get<BackupOperations>().VerifyAsync(c.Vm, Backup, c.User)),
        Vm("BackupOperations.RestoreAsync", Privileges.VmBackup, c => c.Get<BackupOperations>().RestoreAsync(c.Vm, Backup, new RestoreBackupRequest(), c.User)),
        Vm("BackupOperations.SetScheduleAsync", Privileges.VmBackup, c => c.Get<BackupOperations>().SetScheduleAsync(c.Vm, new BackupScheduleRequest { DailyAt = "03:00" }, c.User, DateTimeOffset.UtcNow)),
        Internal("BackupOperations.RunScheduledAsync", "run by BackupScheduler; it re-checks the schedule owner's VM.Backup and Datastore.AllocateSpace itself (BackupScheduleAccessTests)"),

        Read("DiskOperations.ListAsync", Privileges.VmAudit, c => c.Get<DiskOperations>().ListAsync(c.Vm, c.User)),
        Read("DiskOperations.PoolChoicesAsync", Privileges.DatastoreAudit, c => c.Get<DiskOperations>().PoolChoicesAsync(c.Vm, c.User)),
        Read("DiskOperations.ImageFilesAsync", Privileges.DatastoreAudit, c => c.Get<DiskOperations>().ImageFilesAsync(c.Vm, c.Storage, c.User)),
        Vm("DiskOperations.AddAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().AddAsync(c.Vm, new AddVmDiskRequest { PoolId = c.Storage, SizeMiB = 8 }, c.User)),
        Vm("DiskOperations.UpdateOptionsAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().UpdateOptionsAsync(c.Vm, "disk0", new UpdateDiskOptionsRequest(), c.User)),
        Vm("DiskOperations.ResizeAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().ResizeAsync(c.Vm, "disk0", new ResizeVmDiskRequest(128), c.User)),
        Vm("DiskOperations.MoveAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().MoveAsync(c.Vm, "disk0", new MoveVmDiskRequest { PoolId = c.Panel.SpareStorageId }, c.User)),
        Vm("DiskOperations.CompressAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().CompressAsync(c.Vm, "disk0", c.User)),
        Vm("DiskOperations.DetachAsync", Privileges.VmConfig, c => c.Get<DiskOperations>().DetachAsync(c.Vm, "disk0", false, c.User)),

        Vm("CloneOperations.ConvertToTemplateAsync", Privileges.VmConfig, c => c.Get<CloneOperations>().ConvertToTemplateAsync(c.Vm, c.User)),
        Vm("CloneOperations.CloneAsync", Privileges.VmClone, c => c.Get<CloneOperations>().CloneAsync(c.Vm, new CloneVmRequest { Name = "copy" }, c.User)),

        Internal("PoolOperations.ListAsync", "takes no user: the storage page is for administrators only, the API filters its answer by Datastore.Audit"),
        Root("PoolOperations.AddAsync", Privileges.DatastoreAllocate, c => c.Get<PoolOperations>().AddAsync(c.Host, new AddPoolRequest("added", "/srv/added", StorageContent.Images), c.User)),
        Root("PoolOperations.RemoveAsync", Privileges.DatastoreAllocate, c => c.Get<PoolOperations>().RemoveAsync(c.Host, c.Panel.SpareStorageId, c.User)),
        Internal("PoolOperations.EnsureDefaultPoolAsync", "run when a host registers"),
        Internal("PoolOperations.RestoreAgentPoolsAsync", "run when a host registers, to give its agent the pools the panel knows"),

        Root("PoolFileOperations.ResolveAsync", AllocateSpace, c => c.Get<PoolFileOperations>().ResolveAsync(c.Host, c.Storage, c.User, AllocateSpace)),
        Read("PoolFileOperations.ContentAsync", Privileges.DatastoreAudit, c => c.Get<PoolFileOperations>().ContentAsync(c.Host, c.Storage, c.User)),
        Read("PoolFileOperations.IsoChoicesAsync", Privileges.DatastoreAudit, c => c.Get<PoolFileOperations>().IsoChoicesAsync(c.Host, c.User)),
        Root("PoolFileOperations.DeleteAsync", AllocateSpace, c => c.Get<PoolFileOperations>().DeleteAsync(c.Host, c.Storage, "spare.raw", c.User)),
        Vm("PoolFileOperations.ChangeCdromAsync", Privileges.VmConfig, c => c.Get<PoolFileOperations>().ChangeCdromAsync(c.Vm, null, c.User)),

        Root("UploadOperations.StatusAsync", AllocateSpace, c => c.Get<UploadOperations>().StatusAsync(c.Host, c.Storage, "upload.iso", c.User)),
        Root("UploadOperations.ReceiveChunkAsync", AllocateSpace, c => c.Get<UploadOperations>().ReceiveChunkAsync(c.Host, c.Storage, "upload.iso", 0, 4, null, new MemoryStream([1, 2, 3, 4]), 4, c.User, CancellationToken.None)),
        Root("UploadOperations.DiscardAsync", AllocateSpace, c => c.Get<UploadOperations>().DiscardAsync(c.Host, c.Storage, "upload.iso", c.User)),
        Root("DownloadOperations.StartAsync", AllocateSpace, c => c.Get<DownloadOperations>().StartAsync(c.Host, c.Storage, new DownloadFileRequest("https://example.com/guest.iso", "guest.iso", null), c.User)),

        Root("HostRegistration.CreateAsync", Privileges.SysModify, c => c.Get<HostRegistration>().CreateAsync(c.User, "new-host")),
        Root("HostRegistration.RevokeAsync", Privileges.SysModify, c => c.Get<HostRegistration>().RevokeAsync(c.User, c.Panel.SpareHostId)),

        Root("AccessAdministration.AddAclEntryAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().AddAclEntryAsync(c.User, "/pools/spare", c.Panel.SpareUserId, null, BuiltInRoles.Administrator, true)),
        Root("AccessAdministration.RemoveAclEntryAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().RemoveAclEntryAsync(c.User, c.Panel.SpareAclId)),
        Root("AccessAdministration.CreateGroupAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().CreateGroupAsync(c.User, "newgroup", null)),
        Root("AccessAdministration.DeleteGroupAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().DeleteGroupAsync(c.User, c.Panel.GroupId)),
        Root("AccessAdministration.SetMembershipAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().SetMembershipAsync(c.User, c.Panel.GroupId, c.Panel.UserIds[Identity.Auditor], true)),
        Root("AccessAdministration.CreatePoolAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().CreatePoolAsync(c.User, "newpool", null)),
        Root("AccessAdministration.DeletePoolAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().DeletePoolAsync(c.User, "spare")),
        Root("AccessAdministration.SetVmPoolAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().SetVmPoolAsync(c.User, c.Vm, "other")),
        Root("AccessAdministration.SaveRoleAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().SaveRoleAsync(c.User, "spare-role", [Privileges.SysModify])),
        Root("AccessAdministration.DeleteRoleAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().DeleteRoleAsync(c.User, "spare-role")),
        Root("AccessAdministration.CreateUserAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().CreateUserAsync(c.User, "newcomer", null, "newcomers-password-1234", false)),
        Root("AccessAdministration.SetUserEnabledAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().SetUserEnabledAsync(c.User, c.Panel.SpareUserId, false)),
        Root("AccessAdministration.UnlockUserAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().UnlockUserAsync(c.User, c.Panel.SpareUserId)),
        Root("AccessAdministration.ResetPasswordAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().ResetPasswordAsync(c.User, c.Panel.SpareUserId, "another-password-1234", false)),
        Root("AccessAdministration.DeleteUserAsync", Privileges.PermissionsModify, c => c.Get<AccessAdministration>().DeleteUserAsync(c.User, c.Panel.SpareUserId)),
        new("AccessAdministration.CreateTokenAsync", "none (a user's own tokens)", AnyUser, c => Box(c.Get<AccessAdministration>().CreateTokenAsync(c.User, "mine", 7))),
        new("AccessAdministration.RevokeTokenAsync", "none (a user's own tokens)", OwnOnly, async c => await c.Get<AccessAdministration>().RevokeTokenAsync(c.User, await AdminTokenAsync(c))),

        Vm("ConsoleTickets.IssueAsync", Privileges.VmConsole, c => c.Get<ConsoleTickets>().IssueAsync(c.User, c.Vm, TunnelKind.Vnc)),
        Vm("ConsoleShareLinks.MayManageAsync", Privileges.PermissionsModify, c => c.Get<ConsoleShareLinks>().MayManageAsync(c.User, c.Vm)),
        Vm("ConsoleShareLinks.CreateAsync", Privileges.PermissionsModify, c => c.Get<ConsoleShareLinks>().CreateAsync(c.User, c.Vm, viewOnly: true, TimeSpan.FromHours(1))),
        Vm("ConsoleShareLinks.ActiveAsync", Privileges.PermissionsModify, c => c.Get<ConsoleShareLinks>().ActiveAsync(c.User, c.Vm)),
        Vm<object?>("ConsoleShareLinks.RevokeAsync", Privileges.PermissionsModify, async c =>
        {
            await c.Get<ConsoleShareLinks>().RevokeAsync(c.User, await ShareLinkAsync(c));
            return null;
        }),
        Internal("ConsoleShareLinks.CheckAsync", "the share socket's own check of a presented token (anonymous by design, tested in SpecialRouteChecks)"),
    ];

    private static OperationEntry Vm<T>(string name, string privilege, Func<OperationCall, Task<T>> invoke) =>
        new(name, privilege, Refused, c => Box(invoke(c))) { VmScoped = true };

    private static OperationEntry Root<T>(string name, string privilege, Func<OperationCall, Task<T>> invoke) =>
        new(name, privilege, Refused, c => Box(invoke(c)));

    private static OperationEntry Read<T>(string name, string privilege, Func<OperationCall, Task<T>> invoke) =>
        new(name, privilege, AuditorMay, c => Box(invoke(c))) { VmScoped = true };

    private static OperationEntry Internal(string name, string why) => new(name, why, OperationExpectation.Internal, null);

    private static async Task<object?> Box<T>(Task<T> task) => await task;

    private static async Task<Guid> AdminTokenAsync(OperationCall call)
    {
        await using var db = await call.Panel.Contexts.CreateDbContextAsync();
        var adminId = (await db.Users.SingleAsync(u => u.UserName == WebVirt.Web.Auth.AdminBootstrap.AdminUserName)).Id;
        return (await db.ApiTokens.FirstAsync(t => t.UserId == adminId)).Id;
    }

    private static async Task<Guid> ShareLinkAsync(OperationCall call)
    {
        await using var db = await call.Panel.Contexts.CreateDbContextAsync();
        return (await db.ConsoleShareLinks.FirstAsync()).Id;
    }
}
