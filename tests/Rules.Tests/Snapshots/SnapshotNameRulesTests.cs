using WebVirt.Rules.Snapshots;

namespace WebVirt.Rules.Tests.Snapshots;

public sealed class SnapshotNameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("before-upgrade_2.1")]
    [InlineData("9lives")]
    public void Check_GoodName_Accepted(string name) => Assert.Null(SnapshotNameRules.Check(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-c")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a,b")]
    [InlineData("12")]
    [InlineData("ünïcode")]
    [InlineData("x123456789x123456789x123456789x123456789x")]
    [InlineData("ok\n")]
    [InlineData("ok\r\n")]
    public void Check_BadName_SaysWhy(string? name) => Assert.NotNull(SnapshotNameRules.Check(name));

    [Fact]
    public void CheckDescription_AllowsNewlines_RefusesOtherControlsAndLength()
    {
        Assert.Null(SnapshotNameRules.CheckDescription("line one\nline two"));
        Assert.NotNull(SnapshotNameRules.CheckDescription("bell\a"));
        Assert.NotNull(SnapshotNameRules.CheckDescription(new string('x', SnapshotNameRules.MaxDescriptionLength + 1)));
    }
}
