namespace WebVirt.Web.Inventory;

/// <summary>Gates taken by <see cref="VmStateWriter.HoldAsync"/>, released together.</summary>
internal sealed class HeldGates(IReadOnlyList<SemaphoreSlim> gates) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            foreach (var gate in gates)
            {
                gate.Release();
            }
        }
    }
}
