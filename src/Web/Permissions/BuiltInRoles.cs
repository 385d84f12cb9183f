namespace WebVirt.Web.Permissions;

/// <summary>The roles every panel has, read-only; their names cannot be taken by custom roles.</summary>
internal static class BuiltInRoles
{
    public const string Administrator = "Administrator";
    public const string Operator = "Operator";
    public const string Auditor = "Auditor";
    public const string NoAccess = "NoAccess";

    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> All =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            [Administrator] = new HashSet<string>(Privileges.All),
            [Operator] = new HashSet<string>
            {
                Privileges.VmAudit, Privileges.VmPowerMgmt, Privileges.VmConsole, Privileges.VmConfig,
                Privileges.VmSnapshot, Privileges.VmBackup, Privileges.DatastoreAudit, Privileges.SysAudit,
            },
            [Auditor] = new HashSet<string> { Privileges.VmAudit, Privileges.DatastoreAudit, Privileges.SysAudit },
            [NoAccess] = new HashSet<string>(),
        };

    public static bool IsBuiltIn(string name) => All.ContainsKey(name);
}
