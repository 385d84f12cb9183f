using System.Collections.Concurrent;

namespace WebVirt.Web.Account;

/// <summary>
/// Where an administrator's end of a user's sign-ins (disable, password reset, delete) is announced inside this panel:
/// the user's open pages and consoles are checked at once instead of at their next periodic check, and a cookie issued
/// before the end is checked at its next request instead of after <see cref="Security.SecurityOptions.SessionCheckSeconds"/>.
/// The periodic checks stay: they catch changes this process did not make. One time per ended user is kept.
/// </summary>
internal sealed class SignInEnds(TimeProvider time)
{
    /// <summary>A cookie's issue time has whole seconds: one issued in the same second as an end may predate it.</summary>
    private static readonly TimeSpan IssuePrecision = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _endedAt = new(StringComparer.Ordinal);

    /// <summary>Raised with the user's id after their security stamp changed; handlers must not throw or block.</summary>
    public event Action<string>? Ended;

    /// <summary>Call after saving the change that ended the user's sign-ins (a new security stamp, a revoked token, a deleted account).</summary>
    public void End(string userId)
    {
        _endedAt[userId] = time.GetUtcNow();
        Ended?.Invoke(userId);
    }

    /// <summary>Whether a sign-in of <paramref name="userId"/> issued at <paramref name="issuedUtc"/> may predate an end of their sign-ins.</summary>
    public bool MayPredateAnEnd(string? userId, DateTimeOffset issuedUtc) =>
        userId is not null && _endedAt.TryGetValue(userId, out var endedAt) && issuedUtc < endedAt + IssuePrecision;
}
