using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebVirt.TestSupport;

/// <summary>A tiny HTTP/1.1 server on loopback that serves fixed bytes per path (one request per connection), for download tests.</summary>
public sealed class FileServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Dictionary<string, byte[]> _files;
    private readonly IReadOnlySet<string> _cutShort;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    /// <param name="files">The bytes served per path.</param>
    /// <param name="cutShort">Paths whose answer announces twice the bytes it sends, then closes, like a server that dies half-way.</param>
    /// <param name="address">The loopback address to listen on (127.0.0.1 unless given: any 127.x.y.z works on Linux).</param>
    public FileServer(Dictionary<string, byte[]> files, IReadOnlySet<string>? cutShort = null, IPAddress? address = null)
    {
        _files = files;
        _cutShort = cutShort ?? new HashSet<string>();
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    /// <summary>Paths answered with a redirect (302) to the given address.</summary>
    public Dictionary<string, Uri> Redirects { get; } = [];

    /// <summary>Paths whose answer sends its headers and a few bytes, then nothing more (the connection stays open).</summary>
    public HashSet<string> Stalled { get; } = [];

    /// <summary>Paths whose request is read but never answered.</summary>
    public HashSet<string> Silent { get; } = [];

    /// <summary>How many connections the server has accepted: zero proves a client never reached it.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public Uri Url(string path) => new($"http://{EndPoint.Address}:{EndPoint.Port}/{path}");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var count = await stream.ReadAsync(buffer);
                if (count == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            var path = request.ToString().Split(' ')[1].TrimStart('/');
            if (Redirects.TryGetValue(path, out var location))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }

            if (Silent.Contains(path) || Stalled.Contains(path))
            {
                if (Stalled.Contains(path))
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n0123456789"));
                }

                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var body = _files.GetValueOrDefault(path);
            var head = body is null
                ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : $"HTTP/1.1 200 OK\r\nContent-Length: {(_cutShort.Contains(path) ? 2 * body.Length : body.Length)}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            if (body is not null)
            {
                await stream.WriteAsync(body);
            }
        }
    }
}
