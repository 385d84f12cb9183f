using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WebVirt.Web.Thumbnails;

/// <summary>
/// Live thumbnails of running VMs, cheap with hundreds of VMs: a VM's screen is captured only while someone
/// watches it (reference-counted subscriptions, usually one per circuit's thumbnail), at most once per
/// <see cref="Interval"/> however many watch, and subscribers hear only when the picture changed (SHA-256 of the PNG),
/// then get it scaled down by <see cref="PngScaler"/>.
/// <see cref="RefreshAsync"/> does one round; <see cref="VmThumbnailRefresher"/> calls it every second.
/// </summary>
internal sealed class VmThumbnails(IScreendumpSource source, TimeProvider time, ILogger<VmThumbnails> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const int ParallelCaptures = 8;

    private readonly ConcurrentDictionary<Guid, Watched> _watched = new();
    private readonly Lock _gate = new();

    /// <summary>Watches a VM's screen: <paramref name="changed"/> gets the current picture at once if there is one, then each change. Dispose to stop.</summary>
    public IDisposable Subscribe(Guid vmId, Action<VmThumbnail> changed)
    {
        Watched watched;
        var subscription = new Subscription(this, vmId, changed);
        lock (_gate)
        {
            watched = _watched.GetOrAdd(vmId, _ => new Watched());
            watched.Subscribers.Add(subscription);
        }

        if (watched.Latest is { } latest)
        {
            changed(latest);
        }

        return subscription;
    }

    /// <summary>How many VMs are watched now (for tests and diagnostics).</summary>
    public int WatchedCount => _watched.Count;

    /// <summary>Captures every watched VM that is due and tells its subscribers if the picture changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = _watched.Where(w => w.Value.LastCapture is not { } last || now - last >= Interval).ToList();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ParallelCaptures, CancellationToken = cancellationToken }, async (entry, token) =>
        {
            var (vmId, watched) = entry;
            watched.LastCapture = now;
            byte[]? png;
            try
            {
                png = await source.CaptureAsync(vmId, token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ThumbnailLog.CaptureFailed(logger, vmId, ex.Message);
                return;
            }

            if (png is null || png.Length == 0)
            {
                return;
            }

            var hash = SHA256.HashData(png);
            if (watched.Hash is { } previous && previous.AsSpan().SequenceEqual(hash))
            {
                return;
            }

            // Scaled only when changed: the hash of QEMU's own PNG decides, so unchanged screens cost one capture and a hash.
            if (PngScaler.ScaleDown(png) is not { } picture)
            {
                ThumbnailLog.CaptureFailed(logger, vmId, "the screendump is not a PNG picture");
                return;
            }

            var thumbnail = new VmThumbnail(vmId, picture, now);
            watched.Hash = hash;
            watched.Latest = thumbnail;
            Subscription[] subscribers;
            lock (_gate)
            {
                subscribers = [.. watched.Subscribers];
            }

            foreach (var subscriber in subscribers)
            {
                try
                {
                    subscriber.Changed(thumbnail);
                }
                catch (Exception ex)
                {
                    // One broken page must not keep the others from their pictures.
                    ThumbnailLog.SubscriberFailed(logger, vmId, ex.Message);
                }
            }
        });
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            if (_watched.TryGetValue(subscription.VmId, out var watched)
                && watched.Subscribers.Remove(subscription)
                && watched.Subscribers.Count == 0)
            {
                // Nobody looks any more: stop capturing and forget the picture (it would be stale on return).
                _watched.TryRemove(subscription.VmId, out _);
            }
        }
    }

    private sealed class Watched
    {
        public HashSet<Subscription> Subscribers { get; } = [];

        public DateTimeOffset? LastCapture { get; set; }

        public byte[]? Hash { get; set; }

        public VmThumbnail? Latest { get; set; }
    }

    private sealed class Subscription(VmThumbnails owner, Guid vmId, Action<VmThumbnail> changed) : IDisposable
    {
        private int _disposed;

        public Guid VmId => vmId;

        public Action<VmThumbnail> Changed => changed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(this);
            }
        }
    }
}
