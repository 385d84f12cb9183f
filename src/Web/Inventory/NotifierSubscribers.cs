namespace WebVirt.Web.Inventory;

/// <summary>
/// The handlers of one notifier event: copied on subscribe and unsubscribe (rare), read without locks or
/// allocation when raised (often), and each handler isolated so one that throws does not stop the rest.
/// </summary>
internal sealed class NotifierSubscribers(string eventName)
{
    private readonly Lock writeLock = new();
    private Action<Guid>[] handlers = [];

    public void Add(Action<Guid>? handler)
    {
        if (handler is null)
        {
            return;
        }

        lock (writeLock)
        {
            handlers = [.. handlers, handler];
        }
    }

    public void Remove(Action<Guid>? handler)
    {
        if (handler is null)
        {
            return;
        }

        lock (writeLock)
        {
            // Like a multicast delegate: removes the last subscription of that handler.
            var index = Array.LastIndexOf(handlers, handler);
            if (index >= 0)
            {
                handlers = [.. handlers.AsSpan(0, index), .. handlers.AsSpan(index + 1)];
            }
        }
    }

    public void Raise(Guid id, ILogger logger)
    {
        foreach (var handler in Volatile.Read(ref handlers))
        {
            try
            {
                handler(id);
            }
            catch (Exception error)
            {
                logger.SubscriberFailed(eventName, error);
            }
        }
    }
}
