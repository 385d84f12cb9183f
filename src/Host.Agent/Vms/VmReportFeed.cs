using System.Threading.Channels;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>Hands every VM report to every subscriber, in the order they were published.</summary>
internal sealed class VmReportFeed
{
    private readonly Lock _lock = new();
    private readonly List<Channel<VmReport>> _subscribers = [];
    private bool _completed;

    public VmReportSubscription Subscribe()
    {
        var channel = Channel.CreateUnbounded<VmReport>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        return new VmReportSubscription(this, channel);
    }

    public void Publish(VmReport report)
    {
        // Under the lock so that two publishers cannot interleave differently for different subscribers.
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(report);
            }
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    internal void Remove(Channel<VmReport> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }
}
