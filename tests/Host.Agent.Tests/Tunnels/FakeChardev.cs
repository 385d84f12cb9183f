using System.Net.Sockets;
using WebVirt.Hypervisor.Processes;
using WebVirt.TestSupport;

namespace WebVirt.Host.Agent.Tests.Tunnels;

/// <summary>Stands in for QEMU's serial chardev: a unix socket server that, like QEMU, serves one client at a time, plus a serial log.</summary>
internal sealed class FakeChardev : IDisposable
{
    private readonly TempFolder _folder = new("wvs");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private int _accepted;

    public FakeChardev(string log)
    {
        Paths = VmPaths.Create(Guid.NewGuid(), _folder.Combine("run"), _folder.Combine("data"));
        Directory.CreateDirectory(Paths.RunDirectory);
        Directory.CreateDirectory(Paths.DataDirectory);
        File.WriteAllText(Paths.SerialLog, log);
        _listener.Bind(new UnixDomainSocketEndPoint(Paths.SerialSocket));
        _listener.Listen(4);
    }

    public VmPaths Paths { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public async Task<Socket> AcceptAsync()
    {
        var client = await _listener.AcceptAsync();
        Interlocked.Increment(ref _accepted);
        return client;
    }

    public void Dispose()
    {
        _listener.Dispose();
        _folder.Dispose();
    }
}
