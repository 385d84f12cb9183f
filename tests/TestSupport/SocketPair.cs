using System.Net.Sockets;

namespace WebVirt.TestSupport;

/// <summary>Two connected unix stream sockets, like a console client and QEMU's socket.</summary>
public sealed class SocketPair : IDisposable
{
    private SocketPair(Socket left, Socket right)
    {
        Left = left;
        Right = right;
    }

    public Socket Left { get; }

    public Socket Right { get; }

    public static async Task<SocketPair> ConnectAsync(TempFolder folder)
    {
        var path = folder.Combine($"{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var left = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var accept = listener.AcceptAsync();
        await left.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new SocketPair(left, await accept);
    }

    public void Dispose()
    {
        Left.Dispose();
        Right.Dispose();
    }
}
