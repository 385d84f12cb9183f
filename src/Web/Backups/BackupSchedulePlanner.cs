namespace WebVirt.Web.Backups;

/// <summary>When a schedule runs next: the first daily time or interval step strictly after <c>after</c>.</summary>
internal static class BackupSchedulePlanner
{
    public const int MaxEveryHours = 24 * 31;

    /// <summary>Null when the schedule is acceptable, else why not.</summary>
    public static string? Check(int? dailyAtMinute, int? everyHours, int keepLast)
    {
        if ((dailyAtMinute is null) == (everyHours is null))
        {
            return "dailyAt, everyHours: give either a daily time (HH:MM, UTC) or an interval in hours";
        }

        if (dailyAtMinute is < 0 or >= 24 * 60)
        {
            return "dailyAt: the daily time must be between 00:00 and 23:59";
        }

        if (everyHours is < 1 or > MaxEveryHours)
        {
            return $"everyHours: the interval must be between 1 and {MaxEveryHours} hours";
        }

        return keepLast is < 1 or > 1000 ? "keepLast: must be between 1 and 1000" : null;
    }

    public static DateTimeOffset Next(int? dailyAtMinute, int? everyHours, DateTimeOffset after)
    {
        if (everyHours is { } hours)
        {
            return after.ToUniversalTime().AddHours(hours);
        }

        var utc = after.ToUniversalTime();
        var today = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero).AddMinutes(dailyAtMinute ?? 0);
        return today > utc ? today : today.AddDays(1);
    }
}
