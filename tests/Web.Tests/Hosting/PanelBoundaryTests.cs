using System.Xml.Linq;
using WebVirt.TestSupport;
using WebVirt.Web.Hosting;

namespace WebVirt.Web.Tests.Hosting;

/// <summary>
/// The panel must not be able to call QEMU code: src/Web references neither Host.Agent nor Hypervisor, only the
/// contracts, the rules and the relay. The embedded single-machine mode is wired by src/Web.Host.
/// </summary>
public sealed class PanelBoundaryTests
{
    private static readonly string[] Forbidden = ["WebVirt.Host.Agent", "WebVirt.Hypervisor"];

    [Fact]
    public void WebProject_ReferencesNeitherTheAgentNorTheHypervisor()
    {
        var project = XDocument.Load(Path.Combine(ProgramProcess.RepositoryRoot, "src", "Web", "WebVirt.Web.csproj"));
        var references = project.Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include") ?? "").ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => Forbidden.Any(name => r.Contains(name, StringComparison.Ordinal)));
    }

    [Fact]
    public void WebAssembly_LoadsNeitherTheAgentNorTheHypervisor()
    {
        var referenced = typeof(PanelExtensions).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        Assert.Contains("WebVirt.Shared", referenced);
        Assert.DoesNotContain(referenced, name => Forbidden.Contains(name));
    }
}
