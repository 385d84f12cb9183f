namespace WebVirt.Web.Tests.Inventory;

/// <summary>A clock the test sets; starts at a fixed instant with a non-zero offset.</summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = new(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(2));

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now.ToUniversalTime();
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
