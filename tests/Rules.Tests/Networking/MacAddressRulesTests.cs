using WebVirt.Rules.Networking;

namespace WebVirt.Rules.Tests.Networking;

public sealed class MacAddressRulesTests
{
    [Theory]
    [InlineData("52:54:00:12:34:56")]
    [InlineData("02:AB:cd:ef:00:01")]
    public void Check_Unicast_Accepted(string mac) => Assert.Null(MacAddressRules.Check(mac));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("52-54-00-12-34-56")]
    [InlineData("52:54:00:12:34")]
    [InlineData("52:54:00:12:34:56\n")]
    [InlineData("52:54:00:12:34:5g")]
    public void Check_BadAddress_SaysWhy(string? mac) => Assert.NotNull(MacAddressRules.Check(mac));
}
