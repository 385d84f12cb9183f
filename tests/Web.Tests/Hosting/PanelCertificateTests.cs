using WebVirt.TestSupport;
using WebVirt.Web.Hosting;

namespace WebVirt.Web.Tests.Hosting;

public sealed class PanelCertificateTests : IDisposable
{
    private readonly TempFolder _folder = new("wvc");

    [Fact]
    public void LoadOrCreate_FirstStart_MakesASelfSignedPairWithAPrivateKey_AndLaterStartsLoadIt()
    {
        var (certificate, key) = (_folder.Combine("tls", "panel.crt"), _folder.Combine("tls", "panel.key"));

        var first = PanelCertificate.LoadOrCreate(certificate, key, mayCreate: true);
        var again = PanelCertificate.LoadOrCreate(certificate, key, mayCreate: true);

        Assert.True(first.SelfSigned);
        Assert.True(first.Certificate.HasPrivateKey);
        Assert.Equal(64, first.Sha256Fingerprint.Length);
        Assert.Equal(first.Sha256Fingerprint, again.Sha256Fingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Contains("BEGIN CERTIFICATE", File.ReadAllText(certificate), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_ConfiguredFilesMissing_FailsAndMakesNothing()
    {
        var (certificate, key) = (_folder.Combine("mine.crt"), _folder.Combine("mine.key"));

        var error = Assert.Throws<InvalidOperationException>(() => PanelCertificate.LoadOrCreate(certificate, key, mayCreate: false));

        Assert.Contains("do not both exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(_folder.Entries());
    }

    public void Dispose() => _folder.Dispose();
}
