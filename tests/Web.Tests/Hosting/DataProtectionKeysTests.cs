using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

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

    public void Dispose() => _panel.Dispose();
}
