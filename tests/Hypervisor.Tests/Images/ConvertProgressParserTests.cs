using WebVirt.Hypervisor.Images;

namespace WebVirt.Hypervisor.Tests.Images;

public sealed class ConvertProgressParserTests
{
    [Theory]
    [InlineData("    (0.00/100%)", 0)]
    [InlineData("    (12.34/100%)", 12.34)]
    [InlineData("    (100.00/100%)", 100)]
    [InlineData("(7/100%)", 7)]
    public void TryParse_ProgressLine_ReadsPercent(string segment, double expected)
    {
        Assert.True(ConvertProgressParser.TryParse(segment, out var percent));
        Assert.Equal(expected, percent, precision: 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("qemu-img: error")]
    [InlineData("(abc/100%)")]
    [InlineData("12.5%")]
    public void TryParse_OtherText_False(string segment)
    {
        Assert.False(ConvertProgressParser.TryParse(segment, out _));
    }
}
