using WebVirt.Hypervisor.Processes;
using WebVirt.TestSupport;

namespace WebVirt.Hypervisor.Tests.Processes;

public sealed class RunRootClaimTests : IDisposable
{
    private readonly TempFolder _folder = new("wvr");

    [Fact]
    public void Take_WhileHeld_IsRefusedNamingTheHolder()
    {
        using var first = RunRootClaim.Take(_folder.Path, "/var/lib/one/vms");

        var error = Assert.Throws<InvalidOperationException>(() => RunRootClaim.Take(_folder.Path, "/var/lib/two/vms"));

        Assert.Contains($"(pid {Environment.ProcessId}, VM data in /var/lib/one/vms)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Take_AfterTheHolderLetGo_Succeeds()
    {
        RunRootClaim.Take(_folder.Path, "/var/lib/one/vms").Dispose();

        using var second = RunRootClaim.Take(_folder.Path, "/var/lib/two/vms");

        Assert.Contains("/var/lib/two/vms", File.ReadAllText(_folder.Combine(".owner")), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
