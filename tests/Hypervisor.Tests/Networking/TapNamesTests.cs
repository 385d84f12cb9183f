using WebVirt.Hypervisor.Networking;
using WebVirt.Rules.Networking;

namespace WebVirt.Hypervisor.Tests.Networking;

public sealed class TapNamesTests
{
    [Theory]
    [InlineData(0, "wv01234567n0")]
    [InlineData(9999, "wv01234567n9999")]
    public void For_FitsIfnamsiz(int index, string expected)
    {
        var name = TapNames.For(Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), index);

        Assert.Equal(expected, name);
        Assert.Null(InterfaceNameRules.Check(name));
    }

    [Fact]
    public void For_IndexOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TapNames.For(Guid.NewGuid(), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TapNames.For(Guid.NewGuid(), 10_000));
    }
}
