using System.Net.Sockets;

namespace WebVirt.Bench.ConsoleRelay;

/// <summary>The far end every path reaches (standing in for QEMU's VNC socket): a unix socket that echoes each connection.</summary>
internal sealed class EchoServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();

    public EchoServer(string path)
    {
        Path = path;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(16);
        _ = Task.Run(AcceptAsync);
    }

    public string Path { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => EchoAsync(client));
        }
    }

    private static async Task EchoAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[256 * 1024];
            try
            {
                while (true)
                {
                    var read = await client.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        client.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    var data = buffer.AsMemory(0, read);
                    while (!data.IsEmpty)
                    {
                        data = data[await client.SendAsync(data, SocketFlags.None)..];
                    }
                }
            }
            catch (SocketException)
            {
            }
        }
    }
}
