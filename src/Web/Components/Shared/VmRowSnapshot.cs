using Microsoft.EntityFrameworkCore;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Components.Shared;

/// <summary>
/// Every VM's row, read once for the whole panel and kept current from the notifier, so that open tabs share one copy
/// of the inventory instead of each reading and holding its own (hundreds of VMs × many tabs), and a state change is
/// read from the database once, not once per tab. The list is replaced on each change, never modified, so a reader may
/// keep the one it got. It holds every VM: readers filter it to what their user may see.
/// </summary>
internal sealed class VmRowSnapshot : IDisposable
{
    private readonly IDbContextFactory<WebVirtDbContext> contexts;
    private readonly InventoryNotifier notifier;
    private readonly ILogger<VmRowSnapshot> logger;
    private readonly NotifierSubscribers changed = new(nameof(Changed));

    // Loads and updates run one at a time in arrival order, each reading the database after the change was saved: the
    // last one leaves the current state whatever order the changes were raised in.
    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyList<VmRow>? rows;

    public VmRowSnapshot(IDbContextFactory<WebVirtDbContext> contexts, InventoryNotifier notifier, ILogger<VmRowSnapshot> logger)
    {
        this.contexts = contexts;
        this.notifier = notifier;
        this.logger = logger;
        notifier.VmChanged += OnVmChanged;
        notifier.VmRemoved += OnVmRemoved;
        notifier.AccessChanged += OnAccessChanged;
    }

    /// <summary>Raised once the rows have changed; the argument is the VM's id, or <see cref="Guid.Empty"/> when any may have.</summary>
    public event Action<Guid>? Changed
    {
        add => changed.Add(value);
        remove => changed.Remove(value);
    }

    /// <summary>Every VM (not pending deletion) in name order.</summary>
    public async Task<IReadOnlyList<VmRow>> RowsAsync()
    {
        if (Volatile.Read(ref rows) is { } current)
        {
            return current;
        }

        await gate.WaitAsync();
        try
        {
            return rows ??= await InventoryQueries.VmsAsync(contexts);
        }
        finally
        {
            gate.Release();
        }
    }

    private void OnVmChanged(Guid id) => _ = UpdateAsync(id, async current => Replaced(current, id, await InventoryQueries.VmAsync(contexts, id)));

    private void OnVmRemoved(Guid id) => _ = UpdateAsync(id, current => Task.FromResult(Replaced(current, id, null)));

    // A VM moved between pools arrives as an access change: its row's pool is re-read with the rest.
    private void OnAccessChanged(Guid none) => _ = UpdateAsync(none, async _ => await InventoryQueries.VmsAsync(contexts));

    private async Task UpdateAsync(Guid id, Func<IReadOnlyList<VmRow>, Task<IReadOnlyList<VmRow>>> change)
    {
        await gate.WaitAsync();
        try
        {
            // Nothing loaded yet: the first reader loads the current state, changes included.
            if (rows is { } current)
            {
                Volatile.Write(ref rows, await change(current));
            }
        }
        catch (Exception error)
        {
            // The next reader loads it all again rather than keep a list that missed a change.
            logger.SnapshotUpdateFailed(id, error);
            Volatile.Write(ref rows, null);
            id = Guid.Empty;
        }
        finally
        {
            gate.Release();
        }

        changed.Raise(id, logger);
    }

    private static IReadOnlyList<VmRow> Replaced(IReadOnlyList<VmRow> current, Guid id, VmRow? row)
    {
        var copy = new List<VmRow>(current.Count + 1);
        copy.AddRange(current);
        SortedList.Replace(copy, id, row, v => v.Id, v => v.Name);
        return copy;
    }

    public void Dispose()
    {
        notifier.VmChanged -= OnVmChanged;
        notifier.VmRemoved -= OnVmRemoved;
        notifier.AccessChanged -= OnAccessChanged;
    }
}
