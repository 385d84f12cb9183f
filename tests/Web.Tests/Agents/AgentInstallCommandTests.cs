using System.ComponentModel.DataAnnotations;
using WebVirt.Web.Agents;
using WebVirt.Web.Hosting;

namespace WebVirt.Web.Tests.Agents;

/// <summary>The Add host command names the panel as other hosts reach it.</summary>
public sealed class AgentInstallCommandTests
{
    [Fact]
    public void PublicUrl_IsPrinted_InsteadOfTheBrowsersAddress()
    {
        var url = AgentInstallCommand.PanelUrl("https://panel.example.com:8006", "http://127.0.0.1:8006/");

        Assert.Contains("Agent__PanelUrl=https://panel.example.com:8006\n", AgentInstallCommand.For(url, "wvh_token"), StringComparison.Ordinal);
        Assert.False(AgentInstallCommand.IsLoopback(url));
    }

    [Fact]
    public void SelfSignedPanelCertificate_ItsFingerprintIsPinned_AndTheTokenGoesToAFileNotTheEnvironment()
    {
        var command = AgentInstallCommand.For("https://panel.example.com:8006", "wvh_token", new string('A', 64));

        Assert.Contains("Agent__PanelUrl=https://panel.example.com:8006\nAgent__PanelCertificateSha256=" + new string('A', 64) + "\n", command, StringComparison.Ordinal);
        Assert.Contains("echo 'wvh_token' > /etc/webvirt/agent-token", command, StringComparison.Ordinal);
        Assert.DoesNotContain("Agent__Token", command, StringComparison.Ordinal);
        Assert.DoesNotContain("PanelCertificateSha256", AgentInstallCommand.For("http://panel.example.com:8006", "wvh_token", new string('A', 64)), StringComparison.Ordinal);
    }

    [Fact]
    public void NoPublicUrl_TheBrowsersAddress_WhichIsFlaggedWhenLoopback()
    {
        var url = AgentInstallCommand.PanelUrl(null, "http://127.0.0.1:8006/");

        Assert.Equal("http://127.0.0.1:8006/", url);
        Assert.True(AgentInstallCommand.IsLoopback(url));
        Assert.True(AgentInstallCommand.IsLoopback("http://localhost:8006/"));
    }

    [Theory]
    [InlineData("panel.example.com", false)]
    [InlineData("ftp://panel.example.com", false)]
    [InlineData("https://panel.example.com", true)]
    [InlineData(null, true)]
    public void PanelOptions_PublicUrl_MustBeAnAbsoluteHttpUrl(string? publicUrl, bool valid)
    {
        var options = new PanelOptions { PublicUrl = publicUrl };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
