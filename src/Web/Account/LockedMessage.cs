namespace WebVirt.Web.Account;

/// <summary>The sign-in page's words for a locked account: that it is locked, and until when.</summary>
internal static class LockedMessage
{
    public static string For(long? untilUnixSeconds, DateTimeOffset now)
    {
        const string locked = "This account is locked after too many failed sign-in attempts.";
        if (untilUnixSeconds is not { } seconds)
        {
            return $"{locked} Try again later or ask an administrator to unlock it.";
        }

        var until = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var minutes = (int)Math.Ceiling((until - now).TotalMinutes);
        if (minutes <= 0)
        {
            return "The lockout has ended. Sign in again.";
        }

        // The page is static (no script, no browser time zone): UTC, plus a relative time everyone can read.
        var relative = minutes == 1 ? "in 1 minute" : $"in {minutes} minutes";
        return $"{locked} Try again after {until.UtcDateTime:HH:mm} UTC ({relative}) or ask an administrator to unlock it.";
    }
}
