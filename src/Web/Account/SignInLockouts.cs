using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace WebVirt.Web.Account;

/// <summary>
/// The lockout after repeated wrong passwords, counted per (user name, client address) instead of per account.
/// <para>
/// Why not Identity's own per-account lockout: anyone could then keep <c>admin</c> locked out for ever by sending
/// five wrong passwords every 15 minutes from anywhere. Counted per address, the attacker locks only their own
/// address out of that account, and the real user signs in from theirs. Guessing from many addresses is slowed by
/// the per-address rate limit (<see cref="Security.SignInRateLimit"/>) and by each address's own lockout.
/// </para>
/// <para>
/// The same count is kept for names that do not exist, so that the answers (and the lockout message) are alike for
/// both and do not tell which user names exist. Kept in memory and bounded; Identity's lockout options give the
/// number of failures and the time. An administrator's unlock clears a user's entries.
/// </para>
/// </summary>
internal sealed class SignInLockouts(TimeProvider time, IOptions<IdentityOptions> identity)
{
    /// <summary>(Name, address) pairs remembered at most; past it the least recently tried go first.</summary>
    public const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<(string Name, string Address), Attempts> attempts = new(new KeyComparer());

    /// <summary>When the pair's lockout ends; null when it is not locked.</summary>
    public DateTimeOffset? LockedUntil(string userName, string address)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return attempts.TryGetValue((userName, address), out var entry) && entry.LockedUntil > now ? entry.LockedUntil : null;
        }
    }

    /// <summary>Counts a failed sign-in; returns the lockout end when this failure locks the pair.</summary>
    public DateTimeOffset? RecordFailure(string userName, string address)
    {
        var now = time.GetUtcNow();
        var lockout = identity.Value.Lockout;
        lock (gate)
        {
            if (!attempts.TryGetValue((userName, address), out var entry))
            {
                MakeRoom(now);
                entry = new Attempts();
                attempts[(userName, address)] = entry;
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

    /// <summary>A successful sign-in from the address starts its count afresh.</summary>
    public void Reset(string userName, string address)
    {
        lock (gate)
        {
            attempts.Remove((userName, address));
        }
    }

    /// <summary>Forgets every address's count for the name (an administrator unlocked the account).</summary>
    public void Clear(string userName)
    {
        lock (gate)
        {
            foreach (var key in attempts.Keys.Where(k => string.Equals(k.Name, userName, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                attempts.Remove(key);
            }
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (attempts.Count < Capacity)
        {
            return;
        }

        // Rare (only under a flood of names or addresses): drop what is no longer locked, else the oldest.
        foreach (var key in attempts.Where(a => a.Value.LockedUntil <= now).Select(a => a.Key).ToList())
        {
            attempts.Remove(key);
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

    private sealed class KeyComparer : IEqualityComparer<(string Name, string Address)>
    {
        public bool Equals((string Name, string Address) x, (string Name, string Address) y) =>
            string.Equals(x.Name, y.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Address, y.Address, StringComparison.Ordinal);

        public int GetHashCode((string Name, string Address) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Name), StringComparer.Ordinal.GetHashCode(key.Address));
    }
}
