namespace WebVirt.Web.Tasks;

/// <summary>
/// Gathers ids from notifier events and hands them over in batches, at most one batch per interval: a task that
/// logs many lines a second costs an open page one read per interval, not one per line.
/// </summary>
internal sealed class CoalescedIds(TimeSpan interval, Func<IReadOnlyCollection<Guid>, Task> flush)
{
    private readonly Lock gate = new();
    private HashSet<Guid> pending = [];
    private bool scheduled;

    public void Add(Guid id)
    {
        lock (gate)
        {
            pending.Add(id);
            if (scheduled)
            {
                return;
            }

            scheduled = true;
        }

        _ = FlushLaterAsync();
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(interval);
        HashSet<Guid> batch;
        lock (gate)
        {
            batch = pending;
            pending = [];
            scheduled = false;
        }

        await flush(batch);
    }
}
