using WebVirt.Rules.Networking;

namespace WebVirt.Rules.Tests.Networking;

public sealed class VlanTagRulesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4094)]
    public void Check_InRange_Accepted(int tag) => Assert.Null(VlanTagRules.Check(tag));

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(4095)]
    [InlineData(65536)]
    public void Check_OutOfRange_SaysWhy(int tag) => Assert.Contains("1 and 4094", VlanTagRules.Check(tag));
}
