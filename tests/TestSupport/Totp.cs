using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebVirt.TestSupport;

/// <summary>
/// RFC 6238 time-based one-time passwords (HMAC-SHA-1, 30-second steps, 6 digits), what an authenticator
/// app computes, written here from the RFC so tests do not check the panel against its own code.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>The code for <paramref name="base32Key"/> (spaces and case ignored) at <paramref name="at"/>.</summary>
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32Decode(base32Key);
        var counter = at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, message, hash);

        // RFC 4226 dynamic truncation: 31 bits from the offset the last nibble names.
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Code(string base32Key) => Code(base32Key, DateTimeOffset.UtcNow);

    /// <summary>RFC 4648 base 32 (A–Z, 2–7), padding optional.</summary>
    public static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            if (c is ' ' or '=' or '-')
            {
                continue;
            }

            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base 32 character.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. output];
    }
}
