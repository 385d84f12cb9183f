using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebVirt.Web.Hosting;

/// <summary>
/// The certificate the panel serves HTTPS with: the PEM pair at <c>Panel:Tls:CertificatePath</c> and
/// <c>Panel:Tls:KeyPath</c> (default <c>tls/panel.crt</c> and <c>tls/panel.key</c> in the data folder). When the
/// default files do not exist the panel makes a self-signed one there at its first start, as Proxmox VE does
/// (valid for localhost, 127.0.0.1, ::1 and this machine's name); replace the two files with your own to use
/// another. Agents and scripts that cannot trust a self-signed certificate pin its SHA-256 fingerprint.
/// </summary>
public sealed class PanelCertificate
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private PanelCertificate(X509Certificate2 certificate, bool selfSigned)
    {
        Certificate = certificate;
        SelfSigned = selfSigned;
        Sha256Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Whether the certificate names itself as its issuer: browsers and agents will not trust it without being told.</summary>
    public bool SelfSigned { get; }

    /// <summary>Upper-case hex, no separators: what <c>Agent:PanelCertificateSha256</c> expects.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>Loads the configured pair, or makes the default one when the default paths are still empty.</summary>
    public static PanelCertificate LoadOrCreate(string certificatePath, string keyPath, bool mayCreate)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            if (!mayCreate)
            {
                throw new InvalidOperationException(
                    $"Panel:Tls names a certificate ({certificatePath}) and key ({keyPath}) that do not both exist: put the PEM files there, "
                    + "or remove the two settings to let the panel make a self-signed certificate in its data folder.");
            }

            Create(certificatePath, keyPath);
        }

        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return new PanelCertificate(certificate, certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));
    }

    private static void Create(string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=WebVirt panel on {Environment.MachineName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5));

        foreach (var folder in new[] { Path.GetDirectoryName(certificatePath)!, Path.GetDirectoryName(keyPath)! }.Distinct())
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // The key first, 0600 from its first byte; the certificate is public.
        using (var stream = new FileStream(keyPath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }
}
