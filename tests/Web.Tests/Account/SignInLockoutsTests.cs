using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebVirt.Web.Account;
using WebVirt.Web.Tests.Inventory;

namespace WebVirt.Web.Tests.Account;

public sealed class SignInLockoutsTests
{
    private const string Here = "192.0.2.1";
    private const string There = "198.51.100.7";

    private readonly ManualClock _clock = new();
    private readonly SignInLockouts _lockouts;

    public SignInLockoutsTests()
    {
        var options = new IdentityOptions();
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        _lockouts = new SignInLockouts(_clock, Options.Create(options));
    }

    [Fact]
    public void FifthFailure_LocksForTheLockoutTime_OnlyThatAddress()
    {
        for (var attempt = 1; attempt < 5; attempt++)
        {
            Assert.Null(_lockouts.RecordFailure("nobody", Here));
        }

        var until = _lockouts.RecordFailure("NoBody", Here);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(15), until);
        Assert.Equal(until, _lockouts.LockedUntil("nobody", Here));
        Assert.Null(_lockouts.LockedUntil("nobody", There));
        Assert.Null(_lockouts.LockedUntil("somebody-else", Here));
    }

    [Fact]
    public void Lockout_EndsAfterItsTime()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            _lockouts.RecordFailure("nobody", Here);
        }

        _clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(_lockouts.LockedUntil("nobody", Here));
        Assert.Null(_lockouts.RecordFailure("nobody", Here));
    }

    [Fact]
    public void ResetAndClear_ForgetTheCount()
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            _lockouts.RecordFailure("user", Here);
            _lockouts.RecordFailure("user", There);
        }

        _lockouts.Reset("user", Here);
        Assert.Null(_lockouts.RecordFailure("user", Here));
        Assert.NotNull(_lockouts.RecordFailure("user", There));

        _lockouts.Clear("USER");
        Assert.Null(_lockouts.LockedUntil("user", There));
    }

    [Fact]
    public void ManyNames_StayWithinCapacityAndKeepTheLockedOnes()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            _lockouts.RecordFailure("locked-name", Here);
        }

        for (var i = 0; i < SignInLockouts.Capacity + 10; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            _lockouts.RecordFailure($"name-{i}", Here);
        }

        Assert.NotNull(_lockouts.LockedUntil("locked-name", Here));
    }
}
