using System.Diagnostics;
using System.Net.Sockets;
using WebVirt.Hypervisor.CommandLine;
using WebVirt.Hypervisor.Configuration;
using WebVirt.Hypervisor.Processes;
using WebVirt.Shared.Hosts;
using WebVirt.Shared.Vms;

namespace WebVirt.TestSupport;

/// <summary>
/// The baseline of the start benchmarks: qemu-system-x86_64 started directly with the argv WebVirt would use,
/// timed until QMP sends its greeting and the VNC socket exists. No validation, no privilege drop, no agent.
/// </summary>
public static class BareQemuLaunch
{
    public static async Task<double> MeasureAsync(HypervisorOptions options, VmDefinition definition)
    {
        var paths = VmPaths.Create(definition.Uuid, options.RunDirectory!, options.DataDirectory);
        Directory.CreateDirectory(paths.RunDirectory);
        Directory.CreateDirectory(paths.DataDirectory);
        var start = new ProcessStartInfo(options.QemuBinary);
        foreach (var argument in QemuCommandLine.Build(definition, paths, Accelerator.Tcg, options))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using (var socket = await ConnectWhenListeningAsync(paths.QmpSocket))
        {
            _ = await socket.ReceiveAsync(new byte[4096], SocketFlags.None);
        }

        await WaitForFileAsync(paths.VncSocket);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        process.Kill();
        await process.WaitForExitAsync();
        Directory.Delete(paths.RunDirectory, recursive: true);
        return elapsed;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static async Task WaitForFileAsync(string path)
    {
        while (!File.Exists(path))
        {
            await Task.Delay(5);
        }
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
}
