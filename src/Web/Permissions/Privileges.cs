namespace WebVirt.Web.Permissions;

/// <summary>
/// Proxmox-style privileges. A role is a set of these; an ACL entry grants a role on a path. Checked on the
/// server for every action, through <see cref="PermissionService"/>.
/// </summary>
internal static class Privileges
{
    public const string VmAudit = "VM.Audit";
    public const string VmPowerMgmt = "VM.PowerMgmt";
    public const string VmConsole = "VM.Console";
    public const string VmConfig = "VM.Config";
    public const string VmAllocate = "VM.Allocate";
    public const string VmSnapshot = "VM.Snapshot";
    public const string VmBackup = "VM.Backup";
    public const string VmClone = "VM.Clone";
    public const string DatastoreAudit = "Datastore.Audit";
    public const string DatastoreAllocate = "Datastore.Allocate";
    public const string DatastoreAllocateSpace = "Datastore.AllocateSpace";
    public const string SysAudit = "Sys.Audit";
    public const string SysModify = "Sys.Modify";
    public const string PermissionsModify = "Permissions.Modify";

    public static readonly IReadOnlyList<string> All =
    [
        VmAudit, VmPowerMgmt, VmConsole, VmConfig, VmAllocate, VmSnapshot, VmBackup, VmClone,
        DatastoreAudit, DatastoreAllocate, DatastoreAllocateSpace, SysAudit, SysModify, PermissionsModify,
    ];
}
