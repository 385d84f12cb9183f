using WebVirt.Rules.Networking;

namespace WebVirt.Rules.Tests.Networking;

public sealed class MtuRulesTests
{
    [Theory]
    [InlineData(68)]
    [InlineData(1500)]
    [InlineData(9000)]
    [InlineData(65535)]
    public void Check_InRange_Accepted(int mtu) => Assert.Null(MtuRules.Check(mtu));

    [Theory]
    [InlineData(0)]
    [InlineData(67)]
    [InlineData(65536)]
    public void Check_OutOfRange_SaysWhy(int mtu) => Assert.Contains("68 and 65535", MtuRules.Check(mtu));
}
