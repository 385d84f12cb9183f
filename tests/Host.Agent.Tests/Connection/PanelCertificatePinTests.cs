using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WebVirt.Host.Agent.Connection;

namespace WebVirt.Host.Agent.Tests.Connection;

public sealed class PanelCertificatePinTests
{
    private static readonly X509Certificate2 Panel = SelfSigned("panel");
    private static readonly X509Certificate2 Impostor = SelfSigned("panel");

    [Fact]
    public void Accepts_TheSystemsVerdictOfTrusted_WithoutAPin() =>
        Assert.True(new PanelCertificatePin(null).Accepts(Panel, SslPolicyErrors.None));

    [Fact]
    public void Refuses_AnUntrustedCertificate_WithoutAPin() =>
        Assert.False(new PanelCertificatePin(null).Accepts(Panel, SslPolicyErrors.RemoteCertificateChainErrors));

    [Fact]
    public void Accepts_ThePinnedCertificate_WrittenWithColonsInLowerCase()
    {
        var hex = Convert.ToHexString(Panel.GetCertHash(HashAlgorithmName.SHA256)).ToLowerInvariant();
        var withColons = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2)));

        Assert.True(new PanelCertificatePin(withColons).Accepts(Panel, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Refuses_AnotherCertificateWithTheSameName_EvenWhenAPinIsSet()
    {
        var pin = new PanelCertificatePin(Convert.ToHexString(Panel.GetCertHash(HashAlgorithmName.SHA256)));

        Assert.False(pin.Accepts(Impostor, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
