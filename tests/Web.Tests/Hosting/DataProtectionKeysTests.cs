using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using WebVirt.TestSupport;

namespace WebVirt.Web.Tests.Hosting;

/// <summary>The keys that seal encrypted disks' keys live in the panel's data folder, private to the panel's account.</summary>
public sealed class DataProtectionKeysTests : IDisposable
{
    private readonly PanelFactory _panel = new();

    [Fact]
    public void Protect_WritesItsKeyUnderTheDataFolder_InAPrivateFolder()
    {
        var protector = _panel.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        var sealedText = protector.Protect("secret");

        var keys = Path.Combine(_panel.DataDirectory, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.Equal("secret", _panel.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
    }

    [Fact]
    public void Protect_WithAKeyProtectionCertificate_WritesTheKeyEncrypted_AndOnlyThatCertificateOpensIt()
    {
        using var folder = new TempFolder("wvkp");
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=webvirt key protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var pfx = folder.Combine("keys.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
        using var panel = new PanelFactory
        {
            Settings = new Dictionary<string, string> { ["Panel:KeyProtectionCertificate"] = pfx, ["Panel:KeyProtectionCertificatePassword"] = "pfx-password" },
        };

        var sealedText = panel.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("secret");

        var keys = new DirectoryInfo(Path.Combine(panel.DataDirectory, "keys"));
        var xml = File.ReadAllText(Assert.Single(keys.GetFiles("key-*.xml")).FullName);
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);

        // Read back from the files alone, as after a restart: with the certificate, and not without it.
        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(pfx, "pfx-password");
        var reopened = DataProtectionProvider.Create(keys, b => b.SetApplicationName("WebVirt").UnprotectKeysWithAnyCertificate(loaded));
        Assert.Equal("secret", reopened.CreateProtector("test").Unprotect(sealedText));
        var withoutCertificate = DataProtectionProvider.Create(keys, b => b.SetApplicationName("WebVirt"));
        Assert.ThrowsAny<CryptographicException>(() => withoutCertificate.CreateProtector("test").Unprotect(sealedText));
    }

    [Fact]
    public void Start_KeyProtectionCertificateWithoutAnRsaKey_StopsThePanelWithWhy()
    {
        using var folder = new TempFolder("wvkp");
        using var ecdsa = ECDsa.Create();
        using var certificate = new CertificateRequest("CN=not rsa", ecdsa, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = folder.Combine("ec.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12));
        using var panel = new PanelFactory { Settings = new Dictionary<string, string> { ["Panel:KeyProtectionCertificate"] = pfx } };

        var error = Assert.ThrowsAny<Exception>(() => panel.Services);

        Assert.Contains("holds no RSA private key", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _panel.Dispose();
}
