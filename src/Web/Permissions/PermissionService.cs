using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Permissions;

/// <summary>
/// The one place that decides who may do what, used alike by pages, the REST API, the console relay and
/// the hub. The rule is in <see cref="UserPermissions"/> (and the README's "Permissions" section).
/// <para>
/// Decisions are answered from memory: the ACL, groups, roles and the VM → pool/host map are loaded once
/// (<see cref="AccessData"/>) and each user's privileges resolved once from them; both are dropped when an
/// ACL entry, group, role or pool changes (<see cref="InventoryNotifier.AccessChanged"/>), or when a VM is
/// created or removed, and rebuilt on the next question.
/// </para>
/// </summary>
internal sealed class PermissionService : IDisposable
{
    private readonly IDbContextFactory<WebVirtDbContext> contexts;
    private readonly InventoryNotifier notifier;
    private Cache cache;

    public PermissionService(IDbContextFactory<WebVirtDbContext> contexts, InventoryNotifier notifier)
    {
        this.contexts = contexts;
        this.notifier = notifier;
        cache = new Cache(contexts);
        notifier.AccessChanged += OnAccessChanged;
        notifier.VmChanged += OnVmChanged;
        notifier.VmRemoved += OnAccessChanged;
    }

    /// <summary>Whether <paramref name="user"/> holds <paramref name="privilege"/> on <paramref name="path"/> (directly or inherited).</summary>
    public async Task<bool> HasAsync(ClaimsPrincipal user, string path, string privilege, CancellationToken cancellationToken = default) =>
        (await ForAsync(user, cancellationToken))?.Has(path, privilege) ?? false;

    /// <summary>Whether <paramref name="user"/> holds <paramref name="privilege"/> on a VM (through the VM, its pool, its host or the root).</summary>
    public Task<bool> HasOnVmAsync(ClaimsPrincipal user, Guid vmId, string privilege, CancellationToken cancellationToken = default) =>
        HasAsync(user, AclPaths.Vm(vmId), privilege, cancellationToken);

    /// <summary>The VMs on which <paramref name="user"/> holds <paramref name="privilege"/>; null means every VM (granted on <c>/</c> with propagation).</summary>
    public async Task<IReadOnlySet<Guid>?> VmsWithAsync(ClaimsPrincipal user, string privilege, CancellationToken cancellationToken = default) =>
        await ForAsync(user, cancellationToken) is { } permissions ? permissions.VmsWith(privilege) : new HashSet<Guid>();

    /// <summary>Whether the user may see the administration pages: user and permission management, or system changes, on <c>/</c>.</summary>
    public async Task<bool> IsAdministratorAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        await HasAsync(user, AclPaths.Root, Privileges.PermissionsModify, cancellationToken)
        || await HasAsync(user, AclPaths.Root, Privileges.SysModify, cancellationToken);

    /// <summary>Call after saving a change to ACL entries, groups, roles or pools: raises <see cref="InventoryNotifier.AccessChanged"/>.</summary>
    public void NotifyChanged() => notifier.NotifyAccessChanged();

    /// <summary>The resolved privileges of one user (by Identity id), for callers that ask many questions at once.</summary>
    public async Task<UserPermissions> ForUserIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref cache);
        try
        {
            return await current.ForAsync(userId, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed load (database busy, say) must not stay cached: the next question tries again.
            Interlocked.CompareExchange(ref cache, new Cache(contexts), current);
            throw;
        }
    }

    private async Task<UserPermissions?> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? await ForUserIdAsync(userId, cancellationToken)
            : null;

    private void OnAccessChanged(Guid _) => Volatile.Write(ref cache, new Cache(contexts));

    // State changes are frequent and change nothing here; only a VM the map may not know (just created) does.
    private void OnVmChanged(Guid vmId)
    {
        var current = Volatile.Read(ref cache);
        if (current.Started && current.Loaded?.Vms.ContainsKey(vmId) != true)
        {
            Interlocked.CompareExchange(ref cache, new Cache(contexts), current);
        }
    }

    public void Dispose()
    {
        notifier.AccessChanged -= OnAccessChanged;
        notifier.VmChanged -= OnVmChanged;
        notifier.VmRemoved -= OnAccessChanged;
    }

    /// <summary>One generation: the data as loaded after the last change, and the users resolved from it.</summary>
    private sealed class Cache(IDbContextFactory<WebVirtDbContext> contexts)
    {
        private readonly Lazy<Task<AccessData>> data = new(() => AccessDataLoader.LoadAsync(contexts, CancellationToken.None));
        private readonly ConcurrentDictionary<string, UserPermissions> users = new(StringComparer.Ordinal);

        public bool Started => data.IsValueCreated;

        public AccessData? Loaded => data.IsValueCreated && data.Value.IsCompletedSuccessfully ? data.Value.Result : null;

        public async Task<UserPermissions> ForAsync(string userId, CancellationToken cancellationToken)
        {
            var loaded = await data.Value.WaitAsync(cancellationToken);
            return users.GetOrAdd(userId, id => new UserPermissions(loaded, id));
        }
    }
}
