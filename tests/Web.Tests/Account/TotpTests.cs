using WebVirt.TestSupport;

namespace WebVirt.Web.Tests.Account;

/// <summary>The tests' own RFC 6238 generator against the RFC's published SHA-1 vectors (last 6 of the 8 digits).</summary>
public sealed class TotpTests
{
    // "12345678901234567890" in base 32, the RFC 6238 appendix B key for HMAC-SHA-1.
    private const string RfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesTheRfcVectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcKey, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void Base32Decode_IgnoresSpacesAndCase() =>
        Assert.Equal("12345678901234567890"u8.ToArray(), Totp.Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
}
