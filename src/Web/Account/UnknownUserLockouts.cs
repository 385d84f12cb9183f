using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Account;

/// <summary>
/// Identity's lockout, played for user names that do not exist: after as many failures as a real account
/// tolerates, a made-up name is "locked" for as long as a real one would be. The sign-in page then answers
/// alike for both, so its lockout message does not tell which user names exist. Kept in memory and bounded.
/// </summary>
internal sealed class UnknownUserLockouts(TimeProvider time, IOptions<IdentityOptions> identity)
{
    /// <summary>Names remembered at most; past it the least recently tried go first.</summary>
    public const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Attempts> attempts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the name's pretend lockout ends; null when it is not locked.</summary>
    public DateTimeOffset? LockedUntil(string userName)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return attempts.TryGetValue(userName, out var entry) && entry.LockedUntil > now ? entry.LockedUntil : null;
        }
    }

    /// <summary>Counts a failed sign-in; returns the lockout end when this failure locks the name, as Identity does.</summary>
    public DateTimeOffset? RecordFailure(string userName)
    {
        var now = time.GetUtcNow();
        var lockout = identity.Value.Lockout;
        lock (gate)
        {
            if (!attempts.TryGetValue(userName, out var entry))
            {
                MakeRoom(now);
                entry = new Attempts();
                attempts[userName] = entry;
            }

            entry.LastTried = now;
            if (++entry.Failures < lockout.MaxFailedAccessAttempts)
            {
                return null;
            }

            entry.Failures = 0;
            entry.LockedUntil = now + lockout.DefaultLockoutTimeSpan;
            return entry.LockedUntil;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (attempts.Count < Capacity)
        {
            return;
        }

        // Rare (only under a flood of made-up names): drop what is no longer locked, else the oldest.
        foreach (var (name, entry) in attempts.Where(a => a.Value.LockedUntil <= now).ToList())
        {
            attempts.Remove(name);
        }

        if (attempts.Count >= Capacity)
        {
            attempts.Remove(attempts.MinBy(a => a.Value.LastTried).Key);
        }
    }

    private sealed class Attempts
    {
        public int Failures { get; set; }
        public DateTimeOffset LockedUntil { get; set; }
        public DateTimeOffset LastTried { get; set; }
    }
}
