using System.Threading.Channels;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>
/// Progress of long operations on their way to the panel. Bounded and lossy on purpose: progress is a
/// hint, and a slow or absent panel must never hold up the operation.
/// </summary>
internal sealed class TaskProgressFeed
{
    private readonly Channel<TaskProgress> _channel = Channel.CreateBounded<TaskProgress>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<TaskProgress> Reader => _channel.Reader;

    /// <summary>A sink for one task's fractions (0..1) that passes on only changes of a whole percent; null without a task.</summary>
    public IProgress<double>? For(Guid? taskId)
    {
        if (taskId is not { } id)
        {
            return null;
        }

        var last = -1;
        return new SynchronousProgress(fraction =>
        {
            var percent = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 100);
            if (percent != Interlocked.Exchange(ref last, percent))
            {
                _channel.Writer.TryWrite(new TaskProgress(id, percent / 100.0));
            }
        });
    }
}
