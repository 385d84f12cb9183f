using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WebVirt.Host.Agent.Tunnels;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Tunnels;

public sealed class SerialConsolesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwoViewers_ShareOneChardevConnection_BothSeeScrollbackAndOutput_BothCanType()
    {
        using var chardev = new FakeChardev("old boot\r\nlogin: ");
        var consoles = new SerialConsoles(NullLoggerFactory.Instance);
        using var folder = new TempFolder("wvs");
        await using var first = await Viewer.StartAsync(consoles, chardev, folder);
        using var guest = await chardev.AcceptAsync().WaitAsync(Patience);
        await first.WaitForAsync("login: ");
        await using var second = await Viewer.StartAsync(consoles, chardev, folder);
        await second.WaitForAsync("old boot\r\nlogin: ");

        await guest.SendAsync("WEBVIRT-LIVE\r\n"u8.ToArray(), SocketFlags.None);
        await first.WaitForAsync("WEBVIRT-LIVE");
        await second.WaitForAsync("WEBVIRT-LIVE");
        await first.Browser.SendAsync("from-one\r"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await second.Browser.SendAsync("from-two\r"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var typed = await ReadAtLeastAsync(guest, "from-one\rfrom-two\r".Length);

        Assert.Equal(1, chardev.Accepted);
        Assert.Equal(2, consoles.ViewersOf(chardev.Paths.Uuid));
        Assert.Contains("from-one\r", typed, StringComparison.Ordinal);
        Assert.Contains("from-two\r", typed, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(second.Text, "WEBVIRT-LIVE"));
    }

    [Fact]
    public async Task LastViewerLeaves_TheChardevIsLetGo()
    {
        using var chardev = new FakeChardev("");
        var consoles = new SerialConsoles(NullLoggerFactory.Instance);
        using var folder = new TempFolder("wvs");
        var viewer = await Viewer.StartAsync(consoles, chardev, folder);
        using var guest = await chardev.AcceptAsync().WaitAsync(Patience);

        await viewer.Browser.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await viewer.Served.WaitAsync(Patience);
        var read = await guest.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Patience);

        Assert.Equal(0, read);
        Assert.Equal(0, consoles.ViewersOf(chardev.Paths.Uuid));
        await viewer.DisposeAsync();
    }

    [Fact]
    public async Task GuestPortCloses_ViewersAreToldWhy()
    {
        using var chardev = new FakeChardev("");
        var consoles = new SerialConsoles(NullLoggerFactory.Instance);
        using var folder = new TempFolder("wvs");
        await using var viewer = await Viewer.StartAsync(consoles, chardev, folder);
        var guest = await chardev.AcceptAsync().WaitAsync(Patience);

        guest.Dispose();
        var reason = await viewer.ClosedReason.WaitAsync(Patience);

        Assert.Contains("VM stopped", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewerThatNeverReads_IsDroppedAndTheOthersGoOn()
    {
        using var chardev = new FakeChardev("");
        var consoles = new SerialConsoles(NullLoggerFactory.Instance);
        using var folder = new TempFolder("wvs");
        await using var reader = await Viewer.StartAsync(consoles, chardev, folder);
        using var guest = await chardev.AcceptAsync().WaitAsync(Patience);
        await using var stuck = await Viewer.StartAsync(consoles, chardev, folder, read: false);
        await TestCluster.WaitUntilAsync(() => Task.FromResult(consoles.ViewersOf(chardev.Paths.Uuid) == 2), Patience, () => "the second viewer did not join");

        // More than a viewer may fall behind: the stuck one is dropped, the reading one keeps up.
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        for (long sent = chunk.Length; sent < 2 * SerialFanout.MaxQueuedBytes; sent += chunk.Length)
        {
            await guest.SendAsync(chunk, SocketFlags.None);
            var target = sent;
            await TestCluster.WaitUntilAsync(() => Task.FromResult(reader.Received >= target), Patience, () => "the reading viewer fell behind");
        }

        await TestCluster.WaitUntilAsync(() => Task.FromResult(consoles.ViewersOf(chardev.Paths.Uuid) == 1), Patience, () => "the stuck viewer was never dropped");
        await guest.SendAsync("STILL-FLOWING"u8.ToArray(), SocketFlags.None);
        await reader.WaitForAsync("STILL-FLOWING");
        Assert.Equal(1, consoles.ViewersOf(chardev.Paths.Uuid));
    }

    [Theory]
    [InlineData("abc\e[6ndef", "abcdef")]
    [InlineData("\e[6n\e[c\e[>cplain\e[1mbold", "plain\e[1mbold")]
    [InlineData("no escapes", "no escapes")]
    public void TerminalQueries_AreStrippedFromReplayedScrollback(string scrollback, string expected) =>
        Assert.Equal(expected, Encoding.Latin1.GetString(TerminalQueries.Strip(Encoding.Latin1.GetBytes(scrollback))));

    [Fact]
    public void Scrollback_KeepsOnlyTheLastBytes()
    {
        var scrollback = new SerialScrollback(8);
        scrollback.Write("12345"u8);
        scrollback.Write("6789"u8);
        Assert.Equal("23456789", Encoding.ASCII.GetString(scrollback.ToArray()));
        scrollback.Write("abcdefghijk"u8);
        Assert.Equal("defghijk", Encoding.ASCII.GetString(scrollback.ToArray()));
    }

    private static async Task<string> ReadAtLeastAsync(Socket socket, int count)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (text.Length < count)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Patience);
            Assert.NotEqual(0, read);
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>One browser on the serial console: its WebSocket into <see cref="SerialConsoles.ViewAsync"/>, and what it received.</summary>
    private sealed class Viewer : IAsyncDisposable
    {
        private readonly StringBuilder _text = new();
        private long _received;
        private readonly SocketPair _pair;
        private readonly WebSocket _server;

        private Viewer(SocketPair pair, WebSocket browser, WebSocket server, Task served)
        {
            _pair = pair;
            Browser = browser;
            _server = server;
            Served = served;
        }

        public WebSocket Browser { get; }

        public Task Served { get; }

        public long Received => Interlocked.Read(ref _received);

        public TaskCompletionSource<string> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> ClosedReason => Closed.Task;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public static async Task<Viewer> StartAsync(SerialConsoles consoles, FakeChardev chardev, TempFolder folder, bool read = true)
        {
            var pair = await SocketPair.ConnectAsync(folder);
            var browser = WebSocket.CreateFromStream(new NetworkStream(pair.Left, ownsSocket: false), isServer: false, null, Timeout.InfiniteTimeSpan);
            var server = WebSocket.CreateFromStream(new NetworkStream(pair.Right, ownsSocket: false), isServer: true, null, Timeout.InfiniteTimeSpan);
            var served = Task.Run(() => consoles.ViewAsync(chardev.Paths, server, CancellationToken.None));
            var viewer = new Viewer(pair, browser, server, served);
            if (read)
            {
                _ = Task.Run(viewer.ReadAsync);
            }

            return viewer;
        }

        public async Task WaitForAsync(string expected)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!Text.Contains(expected, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"'{expected}' did not arrive; the last output: {Text[Math.Max(0, Text.Length - 500)..]}");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Abort();
            _pair.Dispose();
            try
            {
                await Served.WaitAsync(Patience);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or SocketException)
            {
            }

            Browser.Dispose();
            _server.Dispose();
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await Browser.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Closed.TrySetResult(Browser.CloseStatusDescription ?? "");
                        return;
                    }

                    Interlocked.Add(ref _received, result.Count);
                    lock (_text)
                    {
                        // Only the recent output matters to the tests: keep the text small.
                        _text.Append(Encoding.Latin1.GetString(buffer, 0, result.Count));
                        if (_text.Length > 256 * 1024)
                        {
                            _text.Remove(0, _text.Length - (128 * 1024));
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
            {
                Closed.TrySetResult("dropped");
            }
        }
    }
}
