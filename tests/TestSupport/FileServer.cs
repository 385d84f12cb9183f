using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebVirt.TestSupport;

/// <summary>A tiny HTTP/1.1 server on loopback that serves fixed bytes per path (one request per connection), for download tests.</summary>
public sealed class FileServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, byte[]> _files;
    private readonly IReadOnlySet<string> _cutShort;

    /// <param name="files">The bytes served per path.</param>
    /// <param name="cutShort">Paths whose answer announces twice the bytes it sends, then closes, like a server that dies half-way.</param>
    public FileServer(Dictionary<string, byte[]> files, IReadOnlySet<string>? cutShort = null)
    {
        _files = files;
        _cutShort = cutShort ?? new HashSet<string>();
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path}");

    public void Dispose() => _listener.Stop();

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
