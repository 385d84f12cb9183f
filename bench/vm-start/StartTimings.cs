using System.Diagnostics;
using System.Net.Sockets;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;

namespace WebVirt.Bench.VmStart;

internal static class StartTimings
{
    /// <summary>The supervisor's whole start: validation, folders, privilege drop, spawn, QMP negotiation.</summary>
    public static async Task<double> LibraryAsync(VmSupervisor supervisor, VmDefinition definition)
    {
        var clock = Stopwatch.StartNew();
        var vm = await supervisor.StartAsync(definition);
        await WaitForFileAsync(vm.Paths.VncSocket);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await vm.StopAsync();
        await vm.DisposeAsync();
        return elapsed;
    }

    /// <summary>qemu-system-x86_64 started directly with the same arguments; ready = QMP greeting read and VNC socket present.</summary>
    public static async Task<double> BareAsync(HypervisorOptions options, VmDefinition definition)
    {
        var paths = VmPaths.Create(definition.Uuid, options.RunDirectory!, options.DataDirectory);
        Directory.CreateDirectory(paths.RunDirectory);
        Directory.CreateDirectory(paths.DataDirectory);
        var arguments = QemuCommandLine.Build(definition, paths, Accelerator.Tcg, options);
        var start = new ProcessStartInfo(options.QemuBinary);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var socket = await ConnectWhenListeningAsync(paths.QmpSocket);
        var greeting = new byte[4096];
        _ = await socket.ReceiveAsync(greeting, SocketFlags.None);
        await WaitForFileAsync(paths.VncSocket);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        process.Kill();
        await process.WaitForExitAsync();
        Directory.Delete(paths.RunDirectory, recursive: true);
        return elapsed;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<Socket> ConnectWhenListeningAsync(string path)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                await Task.Delay(5);
            }
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        while (!File.Exists(path))
        {
            await Task.Delay(5);
        }
    }
}
