namespace WebVirt.Web.Inventory;

/// <summary>
/// Tells open pages that something in the inventory changed, within this process. Whoever changes the
/// database raises the event after saving; components subscribe in <c>OnInitialized</c>, re-read what they
/// show with <c>InvokeAsync</c>, and unsubscribe in <c>Dispose</c>. Handlers run on the raiser's thread and
/// must return quickly; one that throws is logged and the others still run.
/// </summary>
internal sealed class InventoryNotifier(ILogger<InventoryNotifier> logger)
{
    private readonly NotifierSubscribers vmChanged = new(nameof(VmChanged));
    private readonly NotifierSubscribers vmRemoved = new(nameof(VmRemoved));
    private readonly NotifierSubscribers hostChanged = new(nameof(HostChanged));
    private readonly NotifierSubscribers taskChanged = new(nameof(TaskChanged));
    private readonly NotifierSubscribers accessChanged = new(nameof(AccessChanged));

    /// <summary>A VM's definition or state changed (or the VM was created); the argument is its id.</summary>
    public event Action<Guid>? VmChanged
    {
        add => vmChanged.Add(value);
        remove => vmChanged.Remove(value);
    }

    public event Action<Guid>? VmRemoved
    {
        add => vmRemoved.Add(value);
        remove => vmRemoved.Remove(value);
    }

    /// <summary>A host was added, changed, connected, disconnected, revoked or removed.</summary>
    public event Action<Guid>? HostChanged
    {
        add => hostChanged.Add(value);
        remove => hostChanged.Remove(value);
    }

    /// <summary>A task started, logged a line, made progress or ended.</summary>
    public event Action<Guid>? TaskChanged
    {
        add => taskChanged.Add(value);
        remove => taskChanged.Remove(value);
    }

    /// <summary>An ACL entry, group (or its members), role or pool (or its VMs) changed; the argument is always <see cref="Guid.Empty"/>.</summary>
    public event Action<Guid>? AccessChanged
    {
        add => accessChanged.Add(value);
        remove => accessChanged.Remove(value);
    }

    public void NotifyVmChanged(Guid vmId) => vmChanged.Raise(vmId, logger);

    public void NotifyVmRemoved(Guid vmId) => vmRemoved.Raise(vmId, logger);

    public void NotifyHostChanged(Guid hostId) => hostChanged.Raise(hostId, logger);

    public void NotifyTaskChanged(Guid taskId) => taskChanged.Raise(taskId, logger);

    public void NotifyAccessChanged() => accessChanged.Raise(Guid.Empty, logger);
}
