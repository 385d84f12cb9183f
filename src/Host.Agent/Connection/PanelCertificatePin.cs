using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebVirt.Host.Agent.Connection;

/// <summary>
/// Decides whether the panel's TLS certificate is trusted: one the system trusts for the panel's name, or the one
/// whose SHA-256 fingerprint <see cref="Configuration.AgentOptions.PanelCertificateSha256"/> pins (the panel's
/// self-signed certificate, as its Add host page prints it). Nothing else: no "accept any certificate" switch.
/// </summary>
public sealed class PanelCertificatePin(string? sha256)
{
    private readonly string? _pinned = Normalize(sha256);

    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_pinned is null || certificate is null)
        {
            return false;
        }

        using var presented = new X509Certificate2(certificate);
        return CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(presented.GetCertHash(HashAlgorithmName.SHA256))),
            System.Text.Encoding.ASCII.GetBytes(_pinned));
    }

    /// <summary>Hex in upper case without separators: "ab:cd:…" and "ABCD…" are the same pin.</summary>
    public static string? Normalize(string? sha256) =>
        string.IsNullOrWhiteSpace(sha256) ? null : sha256.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}
