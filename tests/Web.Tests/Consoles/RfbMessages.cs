namespace WebVirt.Web.Tests.Consoles;

/// <summary>Client→server RFB 3.8 bytes as noVNC sends them to QEMU (RFC 6143 and QEMU's extensions).</summary>
internal static class RfbMessages
{
    public static readonly byte[] ProtocolVersion38 = "RFB 003.008\n"u8.ToArray();

    public static readonly byte[] SecurityNone = [1];

    public static readonly byte[] ClientInitShared = [1];

    /// <summary>32 bits per pixel, depth 24, little endian, true colour 255/255/255, shifts 16/8/0.</summary>
    public static readonly byte[] SetPixelFormat = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];

    /// <summary>Raw and QEMU's extended key event pseudo-encoding (-258).</summary>
    public static readonly byte[] SetEncodings = [2, 0, 0, 2, 0, 0, 0, 0, 0xff, 0xff, 0xfe, 0xfe];

    /// <summary>Incremental update of 640×480 at 0,0.</summary>
    public static readonly byte[] FramebufferUpdateRequest = [3, 1, 0, 0, 0, 0, 0x02, 0x80, 0x01, 0xe0];

    /// <summary>Return pressed (keysym 0xff0d).</summary>
    public static readonly byte[] KeyEventReturnDown = [4, 1, 0, 0, 0, 0, 0xff, 0x0d];

    public static readonly byte[] PointerEventClick = [5, 1, 0, 10, 0, 20];

    public static readonly byte[] ClientCutTextHello = [6, 0, 0, 0, 0, 0, 0, 5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'];

    /// <summary>QEMU extended key event: Return (keysym 0xff0d, scancode 0x1c) pressed.</summary>
    public static readonly byte[] QemuKeyEventReturnDown = [255, 0, 0, 1, 0, 0, 0xff, 0x0d, 0, 0, 0, 0x1c];

    public static byte[] Handshake => [.. ProtocolVersion38, .. SecurityNone, .. ClientInitShared];

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
