using System.Diagnostics;
using System.Text;

namespace WebVirt.Hypervisor.Tests.Qmp;

/// <summary>
/// A real QEMU with no guest, halted (<c>-S</c>), with a QMP socket in a fresh temp folder:
/// for tests that need the real QMP peer. Killed and cleaned up on dispose.
/// </summary>
internal sealed class BareQemu : IAsyncDisposable
{
    public const string Binary = "qemu-system-x86_64";

    // sun_path holds 107 bytes; temp folders under /tmp stay far below that.
    private const int MaxSocketPathBytes = 107;

    private readonly StringBuilder _stderr = new();

    private BareQemu(DirectoryInfo directory, Process process)
    {
        Directory = directory.FullName;
        Process = process;
    }

    /// <summary>The temp folder holding the sockets and QEMU's working folder: relative paths in arguments land here.</summary>
    public string Directory { get; }

    public string QmpSocketPath => Path.Combine(Directory, "qmp.sock");

    public Process Process { get; }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts QEMU and waits for its QMP socket; <paramref name="extraArguments"/> add devices, VNC, …</summary>
    public static async Task<BareQemu> StartAsync(params string[] extraArguments)
    {
        var binary = FindOnPath(Binary);
        if (binary is null)
        {
            Assert.Fail($"{Binary} not found: install Debian package qemu-system-x86 (./test.sh does)");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("wvq");
        var qmpSocket = Path.Combine(directory.FullName, "qmp.sock");
        Assert.True(Encoding.UTF8.GetByteCount(qmpSocket) <= MaxSocketPathBytes, $"socket path too long for a unix socket: {qmpSocket}");

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = directory.FullName,
        };
        foreach (var argument in BaseArguments(qmpSocket).Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var qemu = new BareQemu(directory, process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (qemu._stderr)
            {
                qemu._stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        try
        {
            await qemu.WaitForSocketAsync(TimeSpan.FromSeconds(20));
        }
        catch
        {
            await qemu.DisposeAsync();
            throw;
        }

        return qemu;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            await Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        finally
        {
            Process.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static IEnumerable<string> BaseArguments(string qmpSocket) =>
    [
        "-machine", "q35", "-accel", "tcg", "-m", "64", "-nodefaults", "-no-user-config",
        "-display", "none", "-device", "VGA", "-S",
        "-qmp", $"unix:{qmpSocket},server=on,wait=off",
    ];

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    // QEMU creates the socket file before it calls listen(): until then a connect is refused.
    // Probing with a connect would take QEMU's only QMP slot, so watch the kernel's socket table instead.
    private bool IsListening() =>
        File.ReadLines("/proc/net/unix").Any(line =>
            line.EndsWith(" " + QmpSocketPath, StringComparison.Ordinal)
            && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, _, "00010000", ..]);

    private async Task WaitForSocketAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsListening())
        {
            if (Process.HasExited)
            {
                Assert.Fail($"{Binary} exited with code {Process.ExitCode} before opening its QMP socket: {StandardError}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{Binary} did not open its QMP socket within {timeout}: {StandardError}");
            }

            await Task.Delay(20);
        }
    }
}
