namespace WebVirt.Web.Inventory;

/// <summary>The token an agent presents to the panel: <c>wvh_</c> + 43 base64url characters.</summary>
internal static class HostTokens
{
    public const string Prefix = "wvh_";

    public static string Generate() => SecretTokens.Generate(Prefix);

    /// <summary>What <see cref="HostRecord.TokenHash"/> holds: lower-case hex SHA-256.</summary>
    public static string Hash(string token) => SecretTokens.Hash(token);

    /// <summary>Constant-time check of a presented token against a stored hash; false for anything malformed.</summary>
    public static bool Verify(string? token, string? expectedHash) => SecretTokens.Verify(token, expectedHash, Prefix);
}
