namespace WebVirt.Web.Inventory;

/// <summary>A user's REST API token: <c>wva_</c> + 43 base64url characters.</summary>
internal static class ApiTokens
{
    public const string Prefix = "wva_";

    public static string Generate() => SecretTokens.Generate(Prefix);

    /// <summary>What <see cref="ApiToken.TokenHash"/> holds: lower-case hex SHA-256.</summary>
    public static string Hash(string token) => SecretTokens.Hash(token);

    /// <summary>Constant-time check of a presented token against a stored hash; false for anything malformed.</summary>
    public static bool Verify(string? token, string? expectedHash) => SecretTokens.Verify(token, expectedHash, Prefix);
}
