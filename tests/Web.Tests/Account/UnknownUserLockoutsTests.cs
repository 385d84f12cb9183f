using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Account;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Account;

public sealed class UnknownUserLockoutsTests
{
    private readonly ManualClock _clock = new();
    private readonly UnknownUserLockouts _lockouts;

    public UnknownUserLockoutsTests()
    {
        var options = new IdentityOptions();
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        _lockouts = new UnknownUserLockouts(_clock, Options.Create(options));
    }

    [Fact]
    public void FifthFailure_LocksForTheLockoutTime_LikeARealAccount()
    {
        for (var attempt = 1; attempt < 5; attempt++)
        {
            Assert.Null(_lockouts.RecordFailure("nobody"));
        }

        var until = _lockouts.RecordFailure("NoBody");
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(15), until);
        Assert.Equal(until, _lockouts.LockedUntil("nobody"));
        Assert.Null(_lockouts.LockedUntil("somebody-else"));
    }

    [Fact]
    public void Lockout_EndsAfterItsTime()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            _lockouts.RecordFailure("nobody");
        }

        _clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(_lockouts.LockedUntil("nobody"));
        Assert.Null(_lockouts.RecordFailure("nobody"));
    }

    [Fact]
    public void ManyNames_StayWithinCapacityAndKeepTheLockedOnes()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            _lockouts.RecordFailure("locked-name");
        }

        for (var i = 0; i < UnknownUserLockouts.Capacity + 10; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            _lockouts.RecordFailure($"name-{i}");
        }

        Assert.NotNull(_lockouts.LockedUntil("locked-name"));
    }
}
