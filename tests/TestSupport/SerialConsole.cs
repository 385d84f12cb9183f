using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace WebVirt.TestSupport;

/// <summary>
/// Talks to a guest's serial port through QEMU's chardev socket, the way a person at the console would:
/// reads what the guest prints and types commands into its shell.
/// </summary>
public sealed class SerialConsole : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StringBuilder _output = new();
    private readonly Task _reader;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _changed = new(0);

    private SerialConsole(Socket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Everything the guest printed since the console connected.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SerialConsole> ConnectAsync(string socketPath, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
                return new SerialConsole(socket);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                socket.Dispose();
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the output contains a match of <paramref name="pattern"/>; the message shows what did arrive.</summary>
    public Task<Match> WaitForAsync(string pattern, TimeSpan timeout) => WaitForAsync(pattern, timeout, startAt: 0);

    /// <summary>As <see cref="WaitForAsync(string, TimeSpan)"/>, matching only output from character <paramref name="startAt"/> on (see <see cref="Output"/>'s length).</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan timeout, int startAt)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var output = Output;
            var match = regex.Match(output, Math.Min(startAt, output.Length));
            if (match.Success)
            {
                return match;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                var tail = Output;
                tail = tail.Length > 2000 ? tail[^2000..] : tail;
                throw new TimeoutException($"The guest did not print /{pattern}/ within {timeout.TotalSeconds:0} s. Serial output so far:\n{tail}");
            }

            await _changed.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
    }

    /// <summary>Types a command line into the guest's serial shell.</summary>
    public async Task SendLineAsync(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line + "\n");
        await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            lock (_output)
            {
                _output.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            _changed.Release();
        }
    }
}
