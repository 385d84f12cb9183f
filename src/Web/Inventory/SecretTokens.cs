using System.Security.Cryptography;
using System.Text;

namespace WebVirt.Web.Inventory;

/// <summary>
/// Bearer secrets: 32 random bytes, base64url, behind a prefix that says what the token is for (so a leaked
/// token is recognisable, and secret scanners can match it). Only the SHA-256 is stored: the token has
/// 256 bits of entropy, so a plain fast hash is enough and lets the database look it up by hash.
/// </summary>
internal static class SecretTokens
{
    private const int SecretBytes = 32;

    public static string Generate(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="expectedHash"/>, in constant time.</summary>
    public static bool Verify(string? token, string? expectedHash, string prefix)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(expectedHash) || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var actual = Encoding.ASCII.GetBytes(Hash(token));
        var expected = Encoding.ASCII.GetBytes(expectedHash.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
