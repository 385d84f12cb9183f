using Microsoft.AspNetCore.Identity;
using WebVirt.Web.Inventory;

namespace WebVirt.Web.Account;

/// <summary>A password check against a hash of nothing anyone knows, for unknown user names: they then take as long as real ones.</summary>
internal static class DecoyPassword
{
    private static readonly Lazy<string> Hash = new(() =>
        new PasswordHasher<WebVirtUser>().HashPassword(new WebVirtUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))));

    public static void Verify(IPasswordHasher<WebVirtUser> hasher, string password) =>
        hasher.VerifyHashedPassword(new WebVirtUser(), Hash.Value, password);
}
