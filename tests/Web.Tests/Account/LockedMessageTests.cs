using WebVirt.Web.Account;

namespace WebVirt.Web.Tests.Account;

public sealed class LockedMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_AFutureEnd_SaysUntilWhenInUtcAndInMinutes()
    {
        var message = LockedMessage.For(Now.AddMinutes(14).AddSeconds(30).ToUnixTimeSeconds(), Now);
        Assert.Contains("locked", message);
        Assert.Contains("03:14 UTC (in 15 minutes)", message);
    }

    [Fact]
    public void For_APastEnd_SaysItEnded() =>
        Assert.Contains("ended", LockedMessage.For(Now.AddMinutes(-1).ToUnixTimeSeconds(), Now));

    [Fact]
    public void For_NoEnd_StillSaysLocked() =>
        Assert.Contains("locked", LockedMessage.For(null, Now));
}
