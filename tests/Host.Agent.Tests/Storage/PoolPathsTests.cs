using WebVirt.Host.Agent.Storage;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Storage;

/// <summary>What a folder must be to become a pool, on its own.</summary>
public sealed class PoolPathsTests : IDisposable
{
    private readonly TempFolder _folder = new("wvp");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("p,file=evil")]
    [InlineData("p,,q")]
    public void Check_AFolderWithAComma_IsRefused_SinceQemuReadsItAsASeparator(string name)
    {
        var path = _folder.Combine(name);
        Directory.CreateDirectory(path);

        Assert.Contains("contains ','", PoolPaths.Check(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AFolderWithSpacesQuotesAndUnicode_IsAccepted()
    {
        var path = _folder.Combine("q'\"$(id) ünï 日本");
        Directory.CreateDirectory(path);

        Assert.Null(PoolPaths.Check(path));
    }
}
