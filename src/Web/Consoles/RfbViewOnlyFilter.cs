using System.Buffers.Binary;

namespace WebVirt.Web.Consoles;

/// <summary>
/// Follows the client→server half of an RFB 3.7/3.8 connection and keeps only what a viewer needs to see the
/// screen: the handshake (version, security type None or VNC authentication, ClientInit), SetPixelFormat,
/// SetEncodings, FramebufferUpdateRequest, EnableContinuousUpdates and Fence. Input (KeyEvent, PointerEvent,
/// QEMU extended key events), ClientCutText, SetDesktopSize and QEMU audio messages are dropped whole, so the
/// server never sees them. Anything it cannot frame (another protocol version or security type, an unknown
/// message type) is a <see cref="RfbViewOnlyException"/>: it fails closed rather than guess at lengths.
/// Messages may be split across reads at any byte; up to <see cref="MaxHeld"/> bytes are held between calls.
/// </summary>
internal sealed class RfbViewOnlyFilter
{
    /// <summary>The most bytes a call can output beyond its input: a header held back from earlier calls.</summary>
    public const int MaxHeld = 12;

    private const int VersionLength = 12;

    private readonly byte[] _header = new byte[MaxHeld];
    private int _headerLength;
    private long _remaining;
    private bool _keepBody;
    private Phase _phase = Phase.Version;

    private enum Phase
    {
        Version,
        SecurityType,
        VncAuthResponse,
        ClientInit,
        Messages,
    }

    /// <summary>Bytes the filter dropped so far (whole messages; for logs and tests).</summary>
    public long Dropped { get; private set; }

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/>, which must hold input.Length + <see cref="MaxHeld"/> bytes; returns the count written.</summary>
    public int Filter(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < input.Length + MaxHeld)
        {
            throw new ArgumentException("The output must hold the input and a held-back header.", nameof(output));
        }

        var written = 0;
        var read = 0;
        while (read < input.Length)
        {
            if (_remaining > 0)
            {
                var body = (int)Math.Min(_remaining, input.Length - read);
                if (_keepBody)
                {
                    input.Slice(read, body).CopyTo(output[written..]);
                    written += body;
                }
                else
                {
                    Dropped += body;
                }

                read += body;
                _remaining -= body;
                continue;
            }

            _header[_headerLength++] = input[read++];
            var length = LengthOfCurrent();
            if (length < 0)
            {
                continue;
            }

            _keepBody = Keeps();
            if (_keepBody)
            {
                _header.AsSpan(0, _headerLength).CopyTo(output[written..]);
                written += _headerLength;
            }
            else
            {
                Dropped += _headerLength;
            }

            _remaining = length - _headerLength;
            Advance();
            _headerLength = 0;
        }

        return written;
    }

    /// <summary>The whole length of the message whose first bytes are in the header, or -1 while more are needed.</summary>
    private long LengthOfCurrent()
    {
        var header = _header.AsSpan(0, _headerLength);
        switch (_phase)
        {
            case Phase.Version:
                return header.Length < VersionLength ? -1 : VersionLength;
            case Phase.SecurityType:
                return 1;
            case Phase.VncAuthResponse:
                return 16;
            case Phase.ClientInit:
                return 1;
        }

        return header[0] switch
        {
            0 => 20, // SetPixelFormat
            2 => header.Length < 4 ? -1 : 4 + (4L * BinaryPrimitives.ReadUInt16BigEndian(header[2..])), // SetEncodings
            3 => 10, // FramebufferUpdateRequest
            4 => 8, // KeyEvent
            5 => 6, // PointerEvent
            6 => header.Length < 8 ? -1 : 8L + CutTextLength(BinaryPrimitives.ReadInt32BigEndian(header[4..])), // ClientCutText
            150 => 10, // EnableContinuousUpdates
            248 => header.Length < 9 ? -1 : 9 + header[8], // ClientFence
            251 => header.Length < 7 ? -1 : 8 + (16L * header[6]), // SetDesktopSize
            255 => QemuMessageLength(header),
            _ => throw new RfbViewOnlyException($"RFB client message type {header[0]} is not allowed on a view-only console."),
        };
    }

    /// <summary>The extended clipboard sends a negative length; its size is the absolute value.</summary>
    private static long CutTextLength(int length) => length < 0 ? -(long)length : length;

    private static long QemuMessageLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < 2)
        {
            return -1;
        }

        return header[1] switch
        {
            0 => 12, // QEMU extended key event
            1 when header.Length < 4 => -1,
            1 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]) switch
            {
                0 or 1 => 4, // audio enable, disable
                2 => 10, // audio set format
                var operation => throw new RfbViewOnlyException($"QEMU audio operation {operation} is not allowed on a view-only console."),
            },
            var subtype => throw new RfbViewOnlyException($"QEMU client message {subtype} is not allowed on a view-only console."),
        };
    }

    private bool Keeps()
    {
        if (_phase != Phase.Messages)
        {
            return true;
        }

        return _header[0] is 0 or 2 or 3 or 150 or 248;
    }

    private void Advance()
    {
        switch (_phase)
        {
            case Phase.Version:
                // 3.3 lets the server pick the security type without a client byte; only 3.7 and 3.8 are framed here.
                var version = System.Text.Encoding.ASCII.GetString(_header, 0, VersionLength);
                _phase = version is "RFB 003.007\n" or "RFB 003.008\n"
                    ? Phase.SecurityType
                    : throw new RfbViewOnlyException($"RFB version '{version.TrimEnd('\n')}' is not supported on a view-only console.");
                break;
            case Phase.SecurityType:
                _phase = _header[0] switch
                {
                    1 => Phase.ClientInit,
                    2 => Phase.VncAuthResponse,
                    var type => throw new RfbViewOnlyException($"RFB security type {type} is not supported on a view-only console."),
                };
                break;
            case Phase.VncAuthResponse:
                _phase = Phase.ClientInit;
                break;
            case Phase.ClientInit:
                _phase = Phase.Messages;
                break;
        }
    }
}
