using WebVirt.Web.Backups;

namespace WebVirt.Web.Tests.Backups;

public sealed class BackupSchedulePlannerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_DailyLaterToday_IsToday() =>
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 18, 30, 0, TimeSpan.Zero), BackupSchedulePlanner.Next((18 * 60) + 30, null, Noon));

    [Fact]
    public void Next_DailyAlreadyPassedOrNow_IsTomorrow()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero), BackupSchedulePlanner.Next(2 * 60, null, Noon));
        Assert.Equal(Noon.AddDays(1), BackupSchedulePlanner.Next(12 * 60, null, Noon));
    }

    [Fact]
    public void Next_DailyAcrossTheEndOfTheYear_RollsOver() =>
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 5, 0, TimeSpan.Zero), BackupSchedulePlanner.Next(5, null, new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Next_EveryHours_AddsTheInterval() => Assert.Equal(Noon.AddHours(6), BackupSchedulePlanner.Next(null, 6, Noon));

    [Theory]
    [InlineData(null, null, 7)]
    [InlineData(60, 6, 7)]
    [InlineData(-1, null, 7)]
    [InlineData(1440, null, 7)]
    [InlineData(null, 0, 7)]
    [InlineData(null, 745, 7)]
    [InlineData(60, null, 0)]
    public void Check_BadSchedule_SaysWhy(int? daily, int? hours, int keep) => Assert.NotNull(BackupSchedulePlanner.Check(daily, hours, keep));

    [Fact]
    public void Check_GoodSchedules_Accepted()
    {
        Assert.Null(BackupSchedulePlanner.Check(0, null, 1));
        Assert.Null(BackupSchedulePlanner.Check(null, 24, 1000));
    }
}
