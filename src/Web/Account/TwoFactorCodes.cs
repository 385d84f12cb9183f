namespace WebVirt.Web.Account;

/// <summary>What people type as a code, made comparable: apps show "123 456", recovery codes print in one piece.</summary>
internal static class TwoFactorCodes
{
    public const int RecoveryCodeCount = 10;

    public static string Normalize(string? code, bool recovery)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "";
        }

        // Recovery codes keep their dash and are upper case (Identity stores them so); authenticator codes are digits only.
        var compact = string.Concat(code.Where(c => !char.IsWhiteSpace(c)));
        return recovery ? compact.ToUpperInvariant() : compact.Replace("-", "", StringComparison.Ordinal);
    }
}
