using WebVirt.Host.Agent.Configuration;

namespace WebVirt.Host.Agent.Tests.Configuration;

public sealed class LocalPanelPortTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8006", 8006)]
    [InlineData("https://localhost:8443/", 8443)]
    [InlineData("https://[::1]:9000", 9000)]
    [InlineData("http://127.0.0.2", 80)]
    public void Of_APanelOnThisMachine_IsItsPort(string url, int port) => Assert.Equal(port, LocalPanelPort.Of(url));

    [Theory]
    [InlineData("https://panel.example.org:8006")]
    [InlineData("https://192.0.2.10:8006")]
    [InlineData(null)]
    [InlineData("not a url")]
    public void Of_APanelElsewhere_IsNone(string? url) => Assert.Null(LocalPanelPort.Of(url));
}
