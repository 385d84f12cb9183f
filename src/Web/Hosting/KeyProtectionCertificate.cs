using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebVirt.Web.Hosting;

/// <summary>
/// The certificate whose RSA key encrypts the Data Protection keys at rest (the keys that seal every encrypted
/// disk's key): <c>Panel:KeyProtectionCertificate</c>, a PKCS#12 file, or the systemd credential
/// <c>panel-key-protection</c> (<c>LoadCredentialEncrypted=</c>, so the file on disk is itself sealed by the host).
/// Without one the keys lie in clear in their 0700 folder, as ASP.NET Core writes them on Linux.
/// </summary>
internal static class KeyProtectionCertificate
{
    public const string SettingName = "Panel:KeyProtectionCertificate";
    public const string PasswordSettingName = "Panel:KeyProtectionCertificatePassword";
    public const string CredentialName = "panel-key-protection";

    /// <summary>The configured certificate, or null; a configured one that cannot encrypt keys stops the panel with why.</summary>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        var path = configuration[SettingName] is { Length: > 0 } configured ? configured : Credential();
        if (path is null)
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordSettingName], X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{SettingName} '{path}' could not be read as a PKCS#12 file: {ex.Message}", ex);
        }

        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
        {
            throw new InvalidOperationException($"{SettingName} '{path}' holds no RSA private key: Data Protection encrypts keys with RSA only (openssl req -x509 -newkey rsa:3072 …, then openssl pkcs12 -export).");
        }

        return certificate;
    }

    private static string? Credential() =>
        Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } folder && File.Exists(Path.Combine(folder, CredentialName))
            ? Path.Combine(folder, CredentialName)
            : null;
}
