using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Configuration;
using WebVirt.Host.Agent.Tests.Connection;
using WebVirt.Host.Agent.Tests.Vms;

namespace WebVirt.Host.Agent.Tests.Configuration;

public sealed class AgentOptionsValidatorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_StandaloneWithoutPanelUrl_FailsWithAClearMessage()
    {
        await using var folders = new AgentTestFolders(output);
        using var agent = AgentProcess.Build(folders, output, new Dictionary<string, string?> { ["Agent:Token"] = "t" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => agent.StartAsync());

        Assert.Contains("Agent:PanelUrl is required for a standalone agent", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agent__PanelUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Embedded_NeedsNoPanelUrlNorToken()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { Embedded = true });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("panel.example.com")]
    [InlineData("ftp://panel.example.com")]
    public void Validate_PanelUrlThatIsNoHttpAddress_IsRefused(string url)
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { PanelUrl = url, Token = "t" });

        Assert.True(result.Failed);
        Assert.Contains($"Agent:PanelUrl '{url}' is not an absolute http:// or https:// address", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StandaloneWithoutToken_IsRefused()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { PanelUrl = "https://panel.example.com" });

        Assert.True(result.Failed);
        Assert.Contains("Agent:TokenFile is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ARelativePoolRoot_IsRefused()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { Embedded = true, PoolRoots = ["/srv", "pools"] });

        Assert.True(result.Failed);
        Assert.Contains("Agent:PoolRoots entry 'pools' is not an absolute folder", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.5.0/24", 5, true)]
    [InlineData("10.0.5.0", 5, false)]
    [InlineData("example.com/8", 5, false)]
    [InlineData("fd00::/8", 21, false)]
    public void Validate_DownloadSettings(string network, int redirects, bool valid)
    {
        var options = new AgentOptions { Embedded = true, Downloads = { AllowedNetworks = [network], MaxRedirects = redirects } };

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }
}
