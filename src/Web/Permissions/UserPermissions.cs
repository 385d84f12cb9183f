namespace WebVirt.Web.Permissions;

/// <summary>
/// One user's privileges, resolved once from an <see cref="AccessData"/> and then answered from memory.
/// <para>
/// The rule (as in Proxmox VE, without its "more specific wins" override: grants only add up): a user holds a
/// privilege on a path when a role containing it is granted, to the user or to any group the user is in,
/// either on that path itself, or with <c>propagate</c> on one of its ancestors. The ancestors of
/// <c>/vms/{id}</c> are the VM's pool <c>/pools/{name}</c> (if any), its host <c>/hosts/{id}</c> and
/// <c>/</c>; those of <c>/hosts/{id}</c>, <c>/pools/{name}</c> and <c>/storage/{id}</c> are just <c>/</c>.
/// The NoAccess role holds nothing, so it takes nothing away either.
/// </para>
/// </summary>
internal sealed class UserPermissions
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    private readonly AccessData data;

    // Per path: what the entries on the path grant there, and what they grant below it (propagate).
    private readonly Dictionary<string, HashSet<string>> onPath = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> belowPath = new(StringComparer.OrdinalIgnoreCase);

    // VmsWith's answers: every list call of every page asks again, the data cannot change under them.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<Guid>?> vmsWith = new(StringComparer.Ordinal);

    public UserPermissions(AccessData data, string userId)
    {
        this.data = data;
        if (data.DisabledUsers.Contains(userId))
        {
            return;
        }

        var groups = data.GroupsByUser[userId].ToHashSet();
        foreach (var entry in data.Acl.Where(e => e.UserId == userId || (e.GroupId is { } g && groups.Contains(g))))
        {
            var privileges = data.Roles.GetValueOrDefault(entry.RoleName) ?? None;
            Add(onPath, entry.Path, privileges);
            if (entry.Propagate)
            {
                Add(belowPath, entry.Path, privileges);
            }
        }
    }

    /// <summary>Whether the privilege is granted on <c>/</c> with propagation, so on every object.</summary>
    public bool HasEverywhere(string privilege) => Holds(belowPath, AclPaths.Root, privilege);

    public bool Has(string path, string privilege) =>
        Holds(onPath, path, privilege) || Ancestors(path).Any(ancestor => Holds(belowPath, ancestor, privilege));

    /// <summary>Whether the user holds <paramref name="privilege"/> on anything at all (to show a menu, say).</summary>
    public bool HasAnywhere(string privilege) => onPath.Values.Any(set => set.Contains(privilege));

    public IReadOnlySet<Guid>? VmsWith(string privilege) => vmsWith.GetOrAdd(privilege, ResolveVmsWith);

    private IReadOnlySet<Guid>? ResolveVmsWith(string privilege)
    {
        if (HasEverywhere(privilege))
        {
            return null;
        }

        var vms = new HashSet<Guid>();
        foreach (var vmId in data.Vms.Keys)
        {
            if (Has(AclPaths.Vm(vmId), privilege))
            {
                vms.Add(vmId);
            }
        }

        return vms;
    }

    private IEnumerable<string> Ancestors(string path)
    {
        if (path == AclPaths.Root)
        {
            yield break;
        }

        if (AclPaths.TryParseVm(path, out var vmId) && data.Vms.TryGetValue(vmId, out var placement))
        {
            if (placement.PoolName is { } pool)
            {
                yield return AclPaths.Pool(pool);
            }

            yield return AclPaths.Host(placement.HostId);
        }

        yield return AclPaths.Root;
    }

    private static bool Holds(Dictionary<string, HashSet<string>> grants, string path, string privilege) =>
        grants.TryGetValue(path, out var privileges) && privileges.Contains(privilege);

    private static void Add(Dictionary<string, HashSet<string>> grants, string path, IReadOnlySet<string> privileges)
    {
        if (!grants.TryGetValue(path, out var set))
        {
            grants[path] = set = [];
        }

        set.UnionWith(privileges);
    }
}
