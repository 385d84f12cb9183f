using System.Net;
using WebVirt.Web.Tests.Hosting;

namespace WebVirt.Web.Tests.Assets;

/// <summary>The browser libraries come from npm at build time and the panel serves them as static files.</summary>
public sealed class BrowserLibraryTests(PanelFactory factory) : IClassFixture<PanelFactory>
{
    [Theory]
    [InlineData("/lib/novnc/core/rfb.js", "export default class RFB")]
    [InlineData("/lib/xterm/xterm.js", "Terminal")]
    [InlineData("/lib/xterm/addon-attach.js", "AttachAddon")]
    [InlineData("/lib/xterm/addon-fit.js", "FitAddon")]
    public async Task Get_Library_IsServedAsJavaScript(string path, string expected)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
