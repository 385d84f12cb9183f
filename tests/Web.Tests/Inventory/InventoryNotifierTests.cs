using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class InventoryNotifierTests
{
    private readonly InventoryNotifier notifier = new(NullLogger<InventoryNotifier>.Instance);

    [Fact]
    public void Notify_EachEvent_ReachesOnlyItsSubscribers()
    {
        var seen = new List<string>();
        notifier.VmChanged += id => seen.Add($"vm-changed {id}");
        notifier.VmRemoved += id => seen.Add($"vm-removed {id}");
        notifier.HostChanged += id => seen.Add($"host-changed {id}");
        notifier.TaskChanged += id => seen.Add($"task-changed {id}");
        var id = Guid.NewGuid();

        notifier.NotifyVmChanged(id);
        notifier.NotifyVmRemoved(id);
        notifier.NotifyHostChanged(id);
        notifier.NotifyTaskChanged(id);

        Assert.Equal([$"vm-changed {id}", $"vm-removed {id}", $"host-changed {id}", $"task-changed {id}"], seen);
    }

    [Fact]
    public void Notify_SubscriberThrows_OthersStillCalled()
    {
        var calls = 0;
        notifier.VmChanged += _ => calls++;
        notifier.VmChanged += _ => throw new InvalidOperationException("broken page");
        notifier.VmChanged += _ => calls++;

        notifier.NotifyVmChanged(Guid.NewGuid());

        Assert.Equal(2, calls);
    }

    [Fact]
    public void Unsubscribe_StopsDelivery()
    {
        var calls = 0;
        void Handler(Guid _) => calls++;
        notifier.HostChanged += Handler;
        notifier.NotifyHostChanged(Guid.NewGuid());

        notifier.HostChanged -= Handler;
        notifier.NotifyHostChanged(Guid.NewGuid());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Notify_WhileOthersSubscribe_NeverMissesStableSubscriber()
    {
        var stable = 0;
        notifier.TaskChanged += _ => Interlocked.Increment(ref stable);

        var churn = Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                Action<Guid> handler = _ => { };
                notifier.TaskChanged += handler;
                notifier.TaskChanged -= handler;
            }
        });
        var raise = Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                notifier.NotifyTaskChanged(Guid.Empty);
            }
        });
        await Task.WhenAll(churn, raise);

        Assert.Equal(2_000, stable);
    }
}
