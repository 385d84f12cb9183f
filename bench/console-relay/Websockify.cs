using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WebVirt.Bench.ConsoleRelay;

/// <summary>Path (b): Debian's websockify (the standard noVNC relay) with --unix-target, as its own process.</summary>
internal sealed class Websockify : IDisposable
{
    private readonly Process _process;

    private Websockify(Process process, int port)
    {
        _process = process;
        Address = new Uri($"ws://127.0.0.1:{port}/");
    }

    public Uri Address { get; }

    public static async Task<Websockify> StartAsync(string target)
    {
        const string executable = "/usr/bin/websockify";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: install Debian package websockify.");
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--unix-target", target, $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new Websockify(process, port);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
