using System.Text;
using WebVirt.Hypervisor.Screens;

namespace WebVirt.Hypervisor.Tests.Screens;

public sealed class PngCheckTests
{
    [Fact]
    public void Problem_SoundRgbPng_IsNone() => Assert.Null(PngCheck.Problem(TestPng.Rgb(64, 48)));

    [Fact]
    public void Problem_AnotherFileOfTheHost_IsRefused() =>
        Assert.Equal("it does not start with a PNG signature and header",
            PngCheck.Problem(Encoding.ASCII.GetBytes("root:$y$j9T$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")));

    [Fact]
    public void Problem_SignatureFollowedByAnotherFile_IsRefused() =>
        Assert.NotNull(PngCheck.Problem([.. TestPng.Signature, .. Encoding.ASCII.GetBytes("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n")]));

    [Fact]
    public void Problem_ChunkWithAWrongChecksum_IsRefused()
    {
        var png = TestPng.Rgb(16, 16);
        png[^20] ^= 0xFF;

        Assert.NotNull(PngCheck.Problem(png));
    }

    [Fact]
    public void Problem_CutShort_IsRefused() =>
        Assert.NotNull(PngCheck.Problem(TestPng.Rgb(16, 16)[..^6]));

    [Fact]
    public void Problem_FewerRowsThanTheHeaderSays_IsRefused() =>
        Assert.Equal("its picture data is shorter than its header says", PngCheck.Problem(TestPng.Rgb(16, 16, rowsWritten: 15)));

    [Fact]
    public void Problem_MoreRowsThanTheHeaderSays_IsRefused() =>
        Assert.Equal("its picture data is larger than its header says", PngCheck.Problem(TestPng.Rgb(16, 16, rowsWritten: 17)));

    [Fact]
    public void Problem_DataAfterTheEnd_IsRefused() =>
        Assert.Equal("it has data after its end chunk", PngCheck.Problem([.. TestPng.Rgb(8, 8), .. TestPng.Chunk("tEXt", Encoding.ASCII.GetBytes("secret"))]));

    [Fact]
    public void Problem_HugeDimensions_AreRefusedBeforeInflating() =>
        Assert.StartsWith("its size 100000x100000", PngCheck.Problem(Header(100_000, 100_000)), StringComparison.Ordinal);

    private static byte[] Header(int width, int height)
    {
        var png = TestPng.Rgb(1, 1);
        var header = png[(TestPng.Signature.Length + 8)..(TestPng.Signature.Length + 21)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        return [.. TestPng.Signature, .. TestPng.Chunk("IHDR", header), .. TestPng.Chunk("IEND", [])];
    }
}
