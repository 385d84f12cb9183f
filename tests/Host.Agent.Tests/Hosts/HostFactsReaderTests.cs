using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebVirt.Host.Agent.Hosts;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Hosts;

public sealed class HostFactsReaderTests
{
    [Theory]
    [InlineData("QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u12)\nCopyright (c) 2003-2022 Fabrice Bellard\n", "7.2.15 (Debian 1:7.2+dfsg-7+deb12u12)")]
    [InlineData("QEMU emulator version 8.2.0\n", "8.2.0")]
    [InlineData("nothing useful", null)]
    public void ParseQemuVersion_FirstVersionLine_IsKept(string output, string? expected)
    {
        Assert.Equal(expected, HostFactsReader.ParseQemuVersion(output));
    }

    [Fact]
    public async Task ReadAsync_OnThisMachine_NamesTheMissingCgroupIsolationExactlyWhenTheHostHasNoCgroupV2()
    {
        using var folder = new TempFolder("wvfacts");
        var facts = await ReaderFor(new HypervisorOptions { DataDirectory = folder.Combine("data"), RunDirectory = folder.Combine("run") }, folder).ReadAsync();

        var unified = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        Assert.Equal(!unified, facts.IsolationGaps.Any(g => g.Contains("not isolated by cgroup", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadAsync_OneQemuAccountForAllVms_IsAGap()
    {
        using var folder = new TempFolder("wvfacts");
        var options = new HypervisorOptions { DataDirectory = folder.Combine("data"), RunDirectory = folder.Combine("run"), PerVmUid = false };

        var facts = await ReaderFor(options, folder).ReadAsync();

        Assert.Contains(facts.IsolationGaps, g => g.Contains("Hypervisor:PerVmUid is false", StringComparison.Ordinal));
    }

    private static HostFactsReader ReaderFor(HypervisorOptions options, TempFolder folder) =>
        new(new VmSupervisor(Options.Create(options)), options.QemuBinary, folder.Path, NullLogger.Instance);
}
