using System.Net.Sockets;
using WebVirt.Hypervisor.Qmp;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>A unix-socket listener that tests script as QEMU's QMP side, line by line.</summary>
internal sealed class FakeQmpServer : IAsyncDisposable
{
    public const string Greeting =
        """{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}""";

    private readonly DirectoryInfo _directory;
    private readonly Socket _listener;

    private FakeQmpServer(DirectoryInfo directory, Socket listener)
    {
        _directory = directory;
        _listener = listener;
    }

    public string SocketPath => Path.Combine(_directory.FullName, "qmp.sock");

    public static FakeQmpServer Start()
    {
        var directory = Directory.CreateTempSubdirectory("wvq");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(directory.FullName, "qmp.sock")));
        listener.Listen(4);
        return new FakeQmpServer(directory, listener);
    }

    public async Task<FakeQmpConnection> AcceptAsync() =>
        new(await _listener.AcceptAsync().WaitAsync(FakeQmpConnection.StepTimeout));

    /// <summary>Connects a client through greeting and negotiation, as QEMU 7.2 plays them.</summary>
    public async Task<(QmpClient Client, FakeQmpConnection Peer)> ConnectClientAsync()
    {
        var connecting = QmpClient.ConnectAsync(SocketPath, FakeQmpConnection.StepTimeout);
        var peer = await AcceptAsync();
        await peer.SendAsync(Greeting);
        var negotiate = await peer.ExpectAsync("qmp_capabilities");
        await peer.ReplyAsync(negotiate);
        return (await connecting.WaitAsync(FakeQmpConnection.StepTimeout), peer);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
