using WebVirt.Rules.Networking;

namespace WebVirt.Rules.Tests.Networking;

public sealed class InterfaceNameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("br0")]
    [InlineData("vmbr0v100")]
    [InlineData("eth0.100")]
    [InlineData("_x-y.z")]
    [InlineData("wv0123abcdn15")]
    [InlineData("abcdefghijklmno")]
    public void Check_GoodName_Accepted(string name) => Assert.Null(InterfaceNameRules.Check(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-n")]
    [InlineData("br 0")]
    [InlineData("br/0")]
    [InlineData("br:0")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("br0\n")]
    [InlineData("br\00")]
    [InlineData("brü")]
    [InlineData("br\t0")]
    [InlineData("all")]
    [InlineData("default")]
    public void Check_BadName_SaysWhy(string? name) => Assert.NotNull(InterfaceNameRules.Check(name));
}
