using WebVirt.Web.Inventory;

namespace WebVirt.Web.Tests.Inventory;

public sealed class TokenTests
{
    [Fact]
    public void HostTokens_Generate_IsPrefixedBase64UrlOf32Bytes()
    {
        var token = HostTokens.Generate();

        Assert.StartsWith("wvh_", token, StringComparison.Ordinal);
        Assert.Matches("^wvh_[A-Za-z0-9_-]{43}$", token);
        Assert.NotEqual(token, HostTokens.Generate());
    }

    [Fact]
    public void HostTokens_Hash_IsLowerCaseHexSha256()
    {
        // sha256("abc"), the FIPS 180-2 test vector.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", HostTokens.Hash("abc"));
    }

    [Fact]
    public void HostTokens_Verify_RightTokenPassesAndWrongOnesFail()
    {
        var token = HostTokens.Generate();
        var hash = HostTokens.Hash(token);

        Assert.True(HostTokens.Verify(token, hash));
        Assert.True(HostTokens.Verify(token, hash.ToUpperInvariant()));
        Assert.False(HostTokens.Verify(HostTokens.Generate(), hash));
        Assert.False(HostTokens.Verify(token[..^1], hash));
        Assert.False(HostTokens.Verify(null, hash));
        Assert.False(HostTokens.Verify("", hash));
        Assert.False(HostTokens.Verify(token, null));
        Assert.False(HostTokens.Verify(token, "not-a-hash"));
    }

    [Fact]
    public void Verify_TokenOfTheOtherKind_Fails()
    {
        var apiToken = ApiTokens.Generate();

        Assert.StartsWith("wva_", apiToken, StringComparison.Ordinal);
        Assert.True(ApiTokens.Verify(apiToken, ApiTokens.Hash(apiToken)));
        Assert.False(HostTokens.Verify(apiToken, HostTokens.Hash(apiToken)));
    }
}
