using WebVirt.Web.Consoles;
using static WebVirt.Web.Tests.Consoles.RfbMessages;

namespace WebVirt.Web.Tests.Consoles;

/// <summary>The view-only filter on real RFB client bytes: what a viewer needs passes byte for byte, input is dropped whole.</summary>
public sealed class RfbViewOnlyFilterTests
{
    private static readonly byte[] Mixed = Concat(
        Handshake, SetPixelFormat, SetEncodings, KeyEventReturnDown, FramebufferUpdateRequest, PointerEventClick,
        ClientCutTextHello, QemuKeyEventReturnDown, FramebufferUpdateRequest);

    private static readonly byte[] ViewerPart = Concat(Handshake, SetPixelFormat, SetEncodings, FramebufferUpdateRequest, FramebufferUpdateRequest);

    [Fact]
    public void InputIsDropped_TheRestPassesUnchanged()
    {
        var filter = new RfbViewOnlyFilter();

        var output = Run(filter, Mixed, chunk: Mixed.Length);

        Assert.Equal(ViewerPart, output);
        Assert.Equal(Mixed.Length - ViewerPart.Length, filter.Dropped);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(13)]
    public void MessagesSplitAcrossReads_AreFramedTheSame(int chunk)
    {
        var output = Run(new RfbViewOnlyFilter(), Mixed, chunk);

        Assert.Equal(ViewerPart, output);
    }

    [Fact]
    public void OnlyAKeyEvent_GivesNothing()
    {
        var filter = new RfbViewOnlyFilter();
        Run(filter, Handshake, Handshake.Length);

        var output = Run(filter, KeyEventReturnDown, KeyEventReturnDown.Length);

        Assert.Empty(output);
    }

    [Fact]
    public void UnknownMessageType_FailsClosed()
    {
        var filter = new RfbViewOnlyFilter();

        var error = Assert.Throws<RfbViewOnlyException>(() => Run(filter, Concat(Handshake, [42, 0, 0, 0]), 64));

        Assert.Contains("42", error.Message);
    }

    [Fact]
    public void Rfb33_IsNotFramed()
    {
        Assert.Throws<RfbViewOnlyException>(() => Run(new RfbViewOnlyFilter(), "RFB 003.003\n"u8.ToArray(), 64));
    }

    [Fact]
    public void UnknownSecurityType_FailsClosed()
    {
        Assert.Throws<RfbViewOnlyException>(() => Run(new RfbViewOnlyFilter(), Concat(ProtocolVersion38, [19]), 64));
    }

    private static byte[] Run(RfbViewOnlyFilter filter, byte[] input, int chunk)
    {
        var result = new List<byte>();
        for (var offset = 0; offset < input.Length; offset += chunk)
        {
            var part = input.AsSpan(offset, Math.Min(chunk, input.Length - offset));
            var output = new byte[part.Length + RfbViewOnlyFilter.MaxHeld];
            var written = filter.Filter(part, output);
            result.AddRange(output.AsSpan(0, written).ToArray());
        }

        return [.. result];
    }
}
