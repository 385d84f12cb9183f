using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Configuration;

public sealed class AgentTokenFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempFolder _folder = new("wvt");

    [Fact]
    public void PostConfigure_OwnerOnlyTokenFile_GivesItsTrimmedContent()
    {
        var options = new AgentOptions { TokenFile = Write("token", "wvh_secret\n", OwnerOnly) };

        new AgentTokenFile(_ => null).PostConfigure(null, options);

        Assert.Equal("wvh_secret", options.Token);
    }

    [Fact]
    public void PostConfigure_SystemdCredential_IsFoundInTheCredentialsFolder()
    {
        Write(AgentTokenFile.CredentialName, "wvh_credential", UnixFileMode.UserRead);
        var options = new AgentOptions();

        new AgentTokenFile(name => name == "CREDENTIALS_DIRECTORY" ? _folder.Path : null).PostConfigure(null, options);

        Assert.Equal("wvh_credential", options.Token);
    }

    [Fact]
    public void PostConfigure_TokenFileOthersCanRead_IsRefused()
    {
        var options = new AgentOptions { TokenFile = Write("token", "wvh_secret", OwnerOnly | UnixFileMode.OtherRead) };

        var error = Assert.Throws<OptionsValidationException>(() => new AgentTokenFile(_ => null).PostConfigure(null, options));

        Assert.Contains("can be read by other users", error.Message, StringComparison.Ordinal);
        Assert.Null(options.Token);
    }

    [Fact]
    public void PostConfigure_TokenFileThatIsASymlink_IsRefused()
    {
        var target = Write("real", "wvh_secret", OwnerOnly);
        var link = _folder.Combine("link");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<OptionsValidationException>(() => new AgentTokenFile(_ => null).PostConfigure(null, new AgentOptions { TokenFile = link }));

        Assert.Contains("is not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_TokenGivenInConfiguration_IsKept()
    {
        var options = new AgentOptions { Token = "wvh_configured", TokenFile = _folder.Combine("missing") };

        new AgentTokenFile(_ => null).PostConfigure(null, options);

        Assert.Equal("wvh_configured", options.Token);
    }

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string content, UnixFileMode mode)
    {
        var path = _folder.Combine(name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
