using System.Threading.Channels;

namespace WebVirt.Host.Agent.Tunnels;

/// <summary>
/// What is waiting to be sent to one serial viewer. The guest cannot be slowed down for one slow browser,
/// so the queue is bounded by bytes: a viewer that falls further behind is disconnected instead.
/// </summary>
internal sealed class SerialViewer(long maxQueuedBytes)
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;

    public ChannelReader<byte[]> Reader => _queue.Reader;

    public long Queued => Interlocked.Read(ref _queued);

    public bool FellBehind { get; private set; }

    /// <summary>Queues a chunk; false (and the queue completes) when the viewer is too far behind.</summary>
    public bool TryEnqueue(byte[] chunk)
    {
        if (Interlocked.Add(ref _queued, chunk.Length) > maxQueuedBytes)
        {
            FellBehind = true;
            _queue.Writer.TryComplete();
            return false;
        }

        return _queue.Writer.TryWrite(chunk);
    }

    public void Sent(int bytes) => Interlocked.Add(ref _queued, -bytes);

    public void Complete() => _queue.Writer.TryComplete();
}
