using WebVirt.Web.Tasks;

namespace WebVirt.Web.Tests.Tasks;

public sealed class CoalescedIdsTests
{
    [Fact]
    public async Task Add_ManyTimesBeforeTheFlush_HandsOverOneBatchWithEachIdOnce()
    {
        var batches = new List<IReadOnlyCollection<Guid>>();
        var flushed = new TaskCompletionSource();
        var coalesced = new CoalescedIds(TimeSpan.FromSeconds(1), batch =>
        {
            batches.Add(batch);
            flushed.TrySetResult();
            return Task.CompletedTask;
        });
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();

        for (var i = 0; i < 100; i++)
        {
            coalesced.Add(i % 2 == 0 ? a : b);
        }

        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var batch = Assert.Single(batches);
        Assert.Equal(new HashSet<Guid> { a, b }, batch.ToHashSet());
    }

    [Fact]
    public async Task Add_AfterAFlush_StartsTheNextBatch()
    {
        var batches = new System.Collections.Concurrent.ConcurrentQueue<IReadOnlyCollection<Guid>>();
        var signal = new SemaphoreSlim(0);
        var coalesced = new CoalescedIds(TimeSpan.FromMilliseconds(10), batch =>
        {
            batches.Enqueue(batch);
            signal.Release();
            return Task.CompletedTask;
        });

        coalesced.Add(Guid.NewGuid());
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30)));
        coalesced.Add(Guid.NewGuid());
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, batches.Count);
    }
}
