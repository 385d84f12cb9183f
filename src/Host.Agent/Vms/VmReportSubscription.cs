using System.Threading.Channels;
using WebVirt.Shared.Agents;

namespace WebVirt.Host.Agent.Vms;

/// <summary>One reader's view of the VM reports published after it subscribed; dispose to stop receiving them.</summary>
internal sealed class VmReportSubscription(VmReportFeed feed, Channel<VmReport> channel) : IDisposable
{
    /// <summary>The reports in order; completes when the subscription or the host is disposed.</summary>
    public ChannelReader<VmReport> Reader => channel.Reader;

    public void Dispose() => feed.Remove(channel);
}
