using WebVirt.Host.Agent.Hosts;

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
}
